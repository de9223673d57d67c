import { useEffect, useRef, useState } from 'react';
import { displayValue, fieldLabel } from '../ui/field-labels.ts';
import { useUserNames } from '../ui/use-user-names.ts';
import { type Sides, TextHunk } from './TextHunk.tsx';
import {
  chosenText,
  DEFAULT_HUNK_CHOICE,
  type FieldPlan,
  type HunkChoice,
  NO_CHOICES,
  resolvedTextValues,
  type TextChoices,
} from './text-resolution.ts';

type HunksPlan = Extract<FieldPlan, { kind: 'hunks' }>;

/**
 * The body of a text conflict's card (OVERLAPPING_EDITS): per field, the places both sides changed
 * with a word-level diff of each against the base; while merging, a choice per place, the merged
 * text to edit by hand, and a preview of exactly the values the save stores (the same
 * `resolvedTextValues` the save sends).
 */
export function TextConflictPanel(props: {
  conflictId: string;
  table: string;
  plans: readonly FieldPlan[];
  sides: Sides;
  merging: boolean;
  busy: boolean;
  onSave: (values: Record<string, unknown>) => void;
  onBack: () => void;
}) {
  const { table, plans, sides, conflictId } = props;
  const nameOf = useUserNames();
  const [choices, setChoices] = useState<TextChoices>(NO_CHOICES);
  const values = resolvedTextValues(plans, choices);
  const show = (field: string, value: unknown) => displayValue(table, field, value, nameOf);

  const choose = (plan: HunksPlan, index: number, choice: HunkChoice) =>
    setChoices((current) => {
      const list = plan.merge.hunks.map((_, i) => current.hunks[plan.field]?.[i] ?? DEFAULT_HUNK_CHOICE);
      list[index] = choice;
      return { ...current, hunks: { ...current.hunks, [plan.field]: list } };
    });
  const setEdited = (field: string, text: string | null) =>
    setChoices((current) => {
      const edited = { ...current.edited };
      if (text === null) delete edited[field];
      else edited[field] = text;
      return { ...current, edited };
    });

  return (
    <div className="text-conflict" data-testid="text-conflict">
      <p className="hint">
        Only the places below need a choice: everything else either of you changed is merged whatever you choose here
        {props.merging ? '.' : ' (keeping the other version instead drops this edit as a whole).'}
      </p>
      {plans.map((plan) => {
        const label = fieldLabel(table, plan.field);
        if (plan.kind === 'settled') {
          return (
            <p key={plan.field} className="text-settled" data-testid="text-settled" data-field={plan.field}>
              <strong>{label}:</strong> merged without overlap{props.merging ? ' — saved as in the preview' : ''}.
            </p>
          );
        }
        if (plan.kind === 'pick') {
          return (
            <PickField
              key={plan.field}
              name={`${conflictId}-${plan.field}`}
              label={label}
              mine={show(plan.field, plan.mine)}
              theirs={show(plan.field, plan.server)}
              sides={sides}
              merging={props.merging}
              choice={choices.picks[plan.field] ?? 'theirs'}
              onChoose={(side) => setChoices((c) => ({ ...c, picks: { ...c.picks, [plan.field]: side } }))}
              field={plan.field}
            />
          );
        }
        const edited = choices.edited[plan.field];
        return (
          <section key={plan.field} className="text-field" aria-label={`${label}: changed in the same places`}>
            <h4>
              {label}: {plan.merge.hunks.length} {plan.merge.hunks.length === 1 ? 'place' : 'places'} changed on both
              sides
            </h4>
            {plan.merge.hunks.map((hunk, index) => (
              <TextHunk
                // A hunk replaces lines of the base no other hunk of the field touches.
                key={hunk.line}
                conflictId={conflictId}
                field={plan.field}
                index={index}
                hunk={hunk}
                sides={sides}
                choice={props.merging ? (choices.hunks[plan.field]?.[index] ?? DEFAULT_HUNK_CHOICE) : null}
                locked={edited !== undefined}
                onChoose={(choice) => choose(plan, index, choice)}
              />
            ))}
            {props.merging && (
              <HandEdit
                field={plan.field}
                label={label}
                text={edited ?? chosenText(plan, choices)}
                edited={edited !== undefined}
                onEdit={(text) => setEdited(plan.field, text)}
              />
            )}
          </section>
        );
      })}
      {props.merging && (
        <>
          <section className="text-preview" aria-label="Preview: what will be saved" data-testid="text-preview">
            <h4>Preview: exactly what will be saved</h4>
            {plans.map((plan) => (
              <div key={plan.field}>
                <p className="meta">{fieldLabel(table, plan.field)}</p>
                <div className="preview-value" data-testid={`text-preview-${plan.field}`}>
                  {show(plan.field, values[plan.field])}
                </div>
              </div>
            ))}
          </section>
          <div className="form-actions">
            <button
              type="button"
              className="primary"
              disabled={props.busy}
              onClick={() => props.onSave(resolvedTextValues(plans, choices))}
              data-testid="conflict-save-merge"
            >
              Save this text
            </button>
            <button type="button" onClick={props.onBack}>
              Back
            </button>
          </div>
        </>
      )}
    </div>
  );
}

function PickField(props: {
  name: string;
  field: string;
  label: string;
  mine: string;
  theirs: string;
  sides: Sides;
  merging: boolean;
  choice: 'mine' | 'theirs';
  onChoose: (side: 'mine' | 'theirs') => void;
}) {
  const sideName = (side: 'mine' | 'theirs') => (side === 'mine' ? `${props.sides.mine}` : `${props.sides.theirs}`);
  return (
    <div className="text-pick" data-testid="text-pick" data-field={props.field}>
      <p>
        <strong>{props.label}</strong> — {sideName('mine')} version: {props.mine}; {sideName('theirs').toLowerCase()}{' '}
        version: {props.theirs}
      </p>
      {props.merging && (
        <fieldset className="hunk-choice">
          <legend>Keep which {props.label.toLowerCase()}</legend>
          {(['mine', 'theirs'] as const).map((side) => (
            <label key={side}>
              <input
                type="radio"
                name={props.name}
                checked={props.choice === side}
                onChange={() => props.onChoose(side)}
                data-testid={`pick-${props.field}-${side}`}
              />
              {side === 'mine' ? props.mine : props.theirs}
            </label>
          ))}
        </fieldset>
      )}
    </div>
  );
}

/** The merged text of one field, editable by hand; the hunk choices are set aside while it is. */
function HandEdit(props: {
  field: string;
  label: string;
  text: string;
  edited: boolean;
  onEdit: (text: string | null) => void;
}) {
  const [open, setOpen] = useState(props.edited);
  const areaRef = useRef<HTMLTextAreaElement>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const moved = useRef(false);
  useEffect(() => {
    if (!moved.current) return;
    moved.current = false;
    (open ? areaRef.current : toggleRef.current)?.focus();
  }, [open]);
  const id = `hand-edit-${props.field}`;
  if (!open) {
    return (
      <button
        ref={toggleRef}
        type="button"
        onClick={() => {
          moved.current = true;
          setOpen(true);
        }}
        data-testid={`text-edit-open-${props.field}`}
      >
        Edit the merged {props.label.toLowerCase()} by hand
      </button>
    );
  }
  return (
    <div className="hand-edit">
      <label htmlFor={id}>
        Merged {props.label.toLowerCase()} (edit freely; your choices above are set aside once you type)
      </label>
      <textarea
        id={id}
        ref={areaRef}
        rows={8}
        value={props.text}
        onChange={(event) => props.onEdit(event.target.value)}
        data-testid={`text-edit-${props.field}`}
      />
      <button
        type="button"
        onClick={() => {
          moved.current = true;
          props.onEdit(null);
          setOpen(false);
        }}
        data-testid={`text-edit-discard-${props.field}`}
      >
        {props.edited ? 'Discard the hand edits and use the choices' : 'Close without editing'}
      </button>
    </div>
  );
}
