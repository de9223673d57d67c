import { type FormEvent, useState } from 'react';
import { useSession } from '../session/session-context.ts';
import { formatValue, formatWhen } from '../ui/format.ts';
import { decodeChangeValue, type FieldChange } from './field-change-overlay.ts';
import { retryFieldChange } from './field-change-writes.ts';
import { parsePriority, TASK_FIELD_LABELS } from './task-labels.ts';

function RetryForm(props: { change: FieldChange }) {
  const { db } = useSession();
  const { change } = props;
  const [value, setValue] = useState(formatValue(decodeChangeValue(change)).replace('(empty)', ''));
  const retry = async (event: FormEvent) => {
    event.preventDefault();
    const corrected = change.field_name === 'priority' ? parsePriority(value) : value === '' ? null : value;
    await retryFieldChange(db, change.id, corrected);
  };
  return (
    <form className="retry-form" onSubmit={(event) => void retry(event)}>
      <label>
        Corrected {TASK_FIELD_LABELS[change.field_name]?.toLowerCase() ?? change.field_name}
        <input value={value} onChange={(event) => setValue(event.target.value)} data-testid="field-change-value" />
      </label>
      <button type="submit" data-testid="field-change-retry">
        Retry
      </button>
    </form>
  );
}

/** The fate of each tracked change of this task: pending, applied, or failed with the reason. */
export function FieldChangePanel(props: { changes: FieldChange[] }) {
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
              <span className="field-name">{TASK_FIELD_LABELS[change.field_name] ?? change.field_name}</span>
              <span className="field-value">{formatValue(decodeChangeValue(change))}</span>
              <span className={`chip chip-${change.status}`} data-testid="field-change-status">
                {change.status}
              </span>
              <span className="change-time">{formatWhen(change.updated_at ?? change.created_at)}</span>
            </div>
            {change.status === 'failed' && (
              <>
                <p className="reason" data-testid="field-change-reason">
                  {change.error_message ?? 'The server refused this change.'}
                  {change.error_code && <code> {change.error_code}</code>}
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
