import type { WriteConflictRow } from '@cr/demo-domain';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useGuardedAction } from '../edits/use-guarded-action.ts';
import { useSession } from '../session/session-context.ts';
import { CopyButton } from '../ui/CopyButton.tsx';
import { displayValue, fieldLabel, tableNoun } from '../ui/field-labels.ts';
import { formatWhen } from '../ui/format.ts';
import { parseJsonColumn } from '../ui/ids.ts';
import { useUserNames } from '../ui/use-user-names.ts';
import { type Choice, conflictFields, conflictRowLabel, mergedValues } from './conflict-diff.ts';
import { conflictStory, personFor, serverAuthor } from './conflict-story.ts';
import { type Resolution, resolveConflict } from './resolve-conflict.ts';
import { TextConflictPanel } from './TextConflictPanel.tsx';
import { hasHunks, resolvedTextValues, sameEverywhere, textConflictPlan } from './text-resolution.ts';

export type Conflict = Pick<
  WriteConflictRow,
  'id' | 'user_id' | 'table_name' | 'row_id' | 'operation' | 'code' | 'message' | 'created_at'
> & { client_values: string | null; server_values: string | null; base_values: string | null };

/**
 * One conflict: both versions side by side, differences highlighted; keep one side or merge.
 * Once resolved (here, or elsewhere) the card stays where it is, at the same height, saying how it
 * ended, so the next card's buttons never slide under a pointer that has not moved.
 */
export function ConflictCard(props: {
  conflict: Conflict;
  /** Resolved here (the choice) or gone from the open conflicts (resolved elsewhere). */
  ended: Resolution | 'elsewhere' | null;
  /** The choice made here was refused by the server (the conflict is open again). */
  reopened?: boolean;
  onResolved: (resolution: Resolution) => void;
}) {
  const { db, user } = useSession();
  const nameOf = useUserNames();
  const { conflict, ended } = props;
  const { client, server, base, fields, text } = useMemo(() => {
    const client = parseJsonColumn<Record<string, unknown>>(conflict.client_values);
    const server = parseJsonColumn<Record<string, unknown>>(conflict.server_values);
    const base = parseJsonColumn<Record<string, unknown>>(conflict.base_values);
    const fields = conflictFields(conflict.table_name, client, server);
    // Text both sides changed in the same places (three-way merge): chosen per place, not per field.
    const plans = textConflictPlan(conflict.table_name, client, server, base);
    return { client, server, base, fields, text: hasHunks(plans) ? plans : null };
  }, [conflict.table_name, conflict.client_values, conflict.server_values, conflict.base_values]);
  const [merging, setMerging] = useState(false);
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const cardRef = useRef<HTMLLIElement>(null);
  // The values of the last merge sent from here: if the server refuses it, they can still be copied.
  const sent = useRef<Record<string, unknown> | null>(null);
  const height = useRef<number | null>(null);
  const own = conflict.user_id === user.id;
  const author = nameOf(conflict.user_id);
  const other = personFor(serverAuthor(conflict.table_name, server), user.id, nameOf);
  // A reviewer keeping "mine" keeps the author's (often offline) version, not their own.
  const mineLabel = own ? 'Your version' : `${author}’s version`;
  const serverLabel = other === 'You' ? 'Your earlier version (server)' : `${other}’s version (server)`;
  const keepMineLabel = own ? 'Keep mine' : `Keep ${author}’s version`;
  const label = conflictRowLabel(conflict.row_id, client, server);
  const noun = tableNoun(conflict.table_name);
  const resolve = useGuardedAction(async (resolution: Resolution, textValues?: Record<string, unknown>) => {
    const values = resolution === 'merged' ? (textValues ?? mergedValues(fields, choices)) : null;
    sent.current = values;
    await resolveConflict(db, conflict.id, resolution, values);
    props.onResolved(resolution);
  });

  // The height of the live card, kept once it ends (see above).
  useLayoutEffect(() => {
    if (ended === null && cardRef.current) height.current = cardRef.current.offsetHeight;
  });
  // Opening the merge puts the focus on its first choice.
  useEffect(() => {
    if (merging) cardRef.current?.querySelector<HTMLElement>('.merge-choice input, .hunk-choice input')?.focus();
  }, [merging]);

  const mineText = fields
    .map(
      (field) =>
        `${fieldLabel(conflict.table_name, field.field)}: ${displayValue(conflict.table_name, field.field, field.mine, nameOf)}`,
    )
    .join('\n');

  return (
    <li
      ref={cardRef}
      className={`conflict-card${ended ? ' conflict-ended' : ''}`}
      style={ended && height.current ? { minHeight: height.current } : undefined}
      data-testid="conflict-card"
      data-conflict-id={conflict.id}
      data-table={conflict.table_name}
      data-row-id={conflict.row_id}
      data-ended={ended ?? undefined}
    >
      <div className="conflict-heading">
        <h3 id={`conflict-${conflict.id}`} tabIndex={-1}>
          {noun.charAt(0).toUpperCase() + noun.slice(1)} “{label}”
        </h3>
        <code className="chip code-chip" title={conflict.message}>
          {conflict.code}
        </code>
      </div>
      <p className="conflict-message">{conflictStory(conflict, { server, base }, user.id, nameOf)}</p>
      {props.reopened && !ended && (
        <p className="conflict-reopened" role="status" data-testid="conflict-reopened">
          Your choice was not saved: the server refused it (the reason is under “Conflict resolutions that were not
          applied”). Nothing was overwritten; below is the {noun} as it is now. Choose again.{' '}
          {sent.current && (
            <CopyButton
              text={Object.entries(sent.current)
                .map(([field, value]) => `${fieldLabel(conflict.table_name, field)}: ${String(value)}`)
                .join('\n')}
              what="the merge you chose"
              testId="conflict-copy-refused"
            />
          )}
        </p>
      )}
      <p className="meta">
        Edit by {own ? 'you' : author} · recorded {formatWhen(conflict.created_at)}
      </p>
      {text && !ended ? (
        <TextConflictPanel
          // New server values (a refused, stale choice refreshed them) are new places to choose from.
          key={conflict.server_values}
          conflictId={conflict.id}
          table={conflict.table_name}
          plans={text}
          sides={{
            mine: own ? 'Your' : `${author}’s`,
            theirs: other === 'You' ? 'your earlier' : `${other}’s`,
          }}
          merging={merging}
          busy={resolve.busy}
          onSave={(values) => resolve.run('merged', values)}
          onBack={() => setMerging(false)}
        />
      ) : (
        <table className="conflict-table">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">{mineLabel}</th>
              <th scope="col">{serverLabel}</th>
              {merging && <th scope="col">Keep</th>}
            </tr>
          </thead>
          <tbody>
            {fields.map((field) => (
              <tr
                key={field.field}
                className={field.differs ? 'differs' : undefined}
                data-testid="conflict-field"
                data-field={field.field}
                data-differs={field.differs}
              >
                <th scope="row">
                  {fieldLabel(conflict.table_name, field.field)}
                  {field.differs && <span className="visually-hidden"> (differs)</span>}
                </th>
                <td>{displayValue(conflict.table_name, field.field, field.mine, nameOf)}</td>
                <td>{displayValue(conflict.table_name, field.field, field.server, nameOf)}</td>
                {merging && (
                  <td>
                    <fieldset className="merge-choice">
                      <legend className="visually-hidden">
                        Keep which {fieldLabel(conflict.table_name, field.field).toLowerCase()}
                      </legend>
                      {(['mine', 'server'] as const).map((side) => (
                        <label key={side}>
                          <input
                            type="radio"
                            name={`${conflict.id}-${field.field}`}
                            checked={(choices[field.field] ?? 'server') === side}
                            onChange={() => setChoices((current) => ({ ...current, [field.field]: side }))}
                            data-testid={`merge-${field.field}-${side}`}
                          />
                          {side === 'mine' ? (own ? 'mine' : author) : other === 'You' ? 'server' : other}
                        </label>
                      ))}
                    </fieldset>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {ended ? (
        <p className="conflict-end" role="status" data-testid="conflict-ended">
          {ended === 'elsewhere'
            ? 'Resolved elsewhere.'
            : ended === 'mine'
              ? `Resolved: ${own ? 'you kept your version' : `you kept ${author}’s version`}.`
              : ended === 'server'
                ? `Resolved: you kept ${other === 'You' ? 'your earlier version' : `${other}’s version`}.`
                : 'Resolved: your merge was saved.'}
        </p>
      ) : (
        <div className="form-actions">
          {merging && text ? null : merging ? (
            <>
              <button
                type="button"
                className="primary"
                disabled={resolve.busy}
                onClick={() => resolve.run('merged')}
                data-testid="conflict-save-merge"
              >
                Save merge
              </button>
              <button type="button" onClick={() => setMerging(false)}>
                Back
              </button>
            </>
          ) : (
            <>
              <button
                type="button"
                disabled={resolve.busy}
                onClick={() =>
                  text
                    ? resolve.run('merged', resolvedTextValues(text, sameEverywhere(text, 'mine')))
                    : resolve.run('mine')
                }
                data-testid="conflict-keep-mine"
              >
                {text ? `${keepMineLabel} in every place` : keepMineLabel}
              </button>
              <button
                type="button"
                disabled={resolve.busy}
                onClick={() => resolve.run('server')}
                data-testid="conflict-keep-server"
              >
                {other === 'You' ? 'Keep the server version' : `Keep ${other}’s version`}
              </button>
              <button type="button" onClick={() => setMerging(true)} data-testid="conflict-merge">
                {text ? 'Choose per paragraph' : 'Merge field by field'}
              </button>
              <CopyButton
                text={mineText}
                what={own ? 'your version' : `${author}’s version`}
                testId="conflict-copy-mine"
              />
            </>
          )}
        </div>
      )}
    </li>
  );
}
