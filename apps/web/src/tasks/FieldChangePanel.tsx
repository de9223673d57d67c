import { policy } from '@cr/demo-domain';
import { type FormEvent, useState } from 'react';
import { useGuardedAction } from '../edits/use-guarded-action.ts';
import { useSession } from '../session/session-context.ts';
import { Field } from '../ui/Field.tsx';
import { displayValue, fieldLabel } from '../ui/field-labels.ts';
import { formatWhen } from '../ui/format.ts';
import { useUserNames } from '../ui/use-user-names.ts';
import { decodeChangeValue, type FieldChange } from './field-change-overlay.ts';
import { discardFieldChange, retryFieldChange } from './field-change-writes.ts';
import { parsePriority } from './task-labels.ts';

function parseRetry(field: string, text: string): unknown {
  if (field === 'priority') return parsePriority(text);
  if ((field === 'due_date' || field === 'assignee_id') && text === '') return null;
  return text;
}

/** Why a change failed, in words: the field's rule when the value breaks one, else the server's reason. */
export function failureReason(change: FieldChange): string {
  const problem = policy.checkFields('tasks', { [change.field_name]: decodeChangeValue(change) })[0];
  return problem?.hint ?? change.error_message ?? 'The server refused this change.';
}

function RetryForm(props: { change: FieldChange }) {
  const { db } = useSession();
  const { change } = props;
  const decoded = decodeChangeValue(change);
  const [value, setValue] = useState(decoded === null || decoded === undefined ? '' : String(decoded));
  const label = fieldLabel('tasks', change.field_name);
  const corrected = parseRetry(change.field_name, value);
  const problem = policy.checkFields('tasks', { [change.field_name]: corrected })[0]?.hint;
  const retry = useGuardedAction(async () => {
    if (!problem) await retryFieldChange(db, change.id, corrected);
  });
  const discard = useGuardedAction(() => discardFieldChange(db, change.id));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    retry.run();
  };
  return (
    <form className="retry-form" onSubmit={submit} noValidate>
      <Field label={`Corrected ${label.toLowerCase()}`} problem={problem}>
        {(a11y) => (
          <input
            value={value}
            onChange={(event) => setValue(event.target.value)}
            data-testid="field-change-value"
            {...a11y}
          />
        )}
      </Field>
      <button type="submit" data-testid="field-change-retry" disabled={retry.busy}>
        Retry
      </button>
      <button
        type="button"
        className="quiet"
        onClick={() => discard.run()}
        disabled={discard.busy}
        data-testid="field-change-discard"
      >
        Discard
      </button>
    </form>
  );
}

/** The fate of each tracked change of this task: pending, applied, or failed with the reason. */
export function FieldChangePanel(props: { changes: FieldChange[] }) {
  const nameOf = useUserNames();
  if (props.changes.length === 0) {
    return <p className="hint">No tracked changes yet. Each field you save appears here with its status.</p>;
  }
  return (
    <section aria-labelledby="field-changes-title" className="field-changes" data-testid="field-change-panel">
      <h3 id="field-changes-title">Field changes</h3>
      <ul>
        {props.changes.map((change) => (
          <li
            key={change.id}
            className={`field-change field-change-${change.status}`}
            data-testid="field-change"
            data-field={change.field_name}
            data-status={change.status}
          >
            <div className="field-change-line">
              <span className="field-name">{fieldLabel('tasks', change.field_name)}</span>
              <span className="field-value">
                {displayValue('tasks', change.field_name, decodeChangeValue(change), nameOf)}
              </span>
              <span className={`chip chip-${change.status}`} data-testid="field-change-status">
                {change.status}
              </span>
              <span className="change-time">{formatWhen(change.updated_at ?? change.created_at)}</span>
            </div>
            {change.status === 'failed' && (
              <>
                <p className="reason" data-testid="field-change-reason">
                  Not applied: {failureReason(change)}
                  {change.error_code && <code className="chip code-chip">{change.error_code}</code>}
                </p>
                <RetryForm change={change} />
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
