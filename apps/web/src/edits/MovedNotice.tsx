import type { Row } from '@cr/strategies';
import { useSession } from '../session/session-context.ts';
import { displayValue, fieldLabel, tableNoun } from '../ui/field-labels.ts';
import { useUserNames } from '../ui/use-user-names.ts';
import type { EditForm } from './use-edit-form.ts';
import { listFields, listPeople, whoChanged } from './who-changed.ts';

/** What saving does once the row moved under the form, per strategy. */
const AFTER_A_MOVE: Record<string, string> = {
  tasks:
    'If you save without reloading, your edit is checked against their version and becomes a conflict for you to resolve; nothing is overwritten.',
  documents:
    'If you save without reloading, your edit is checked against their version and becomes a conflict for you to resolve; nothing is overwritten.',
  patients:
    'Saving applies only the fields you changed; where you both changed the same field, the later edit wins and the other is listed as not applied.',
  orders: 'Saving applies only the fields you changed, to the order as it is now.',
};

/**
 * Shown inside an open form when the synced row changes underneath it: who changed what, the new
 * values, and the choice to reload (take their version as the base; your edits of other fields
 * stay) or keep editing (save goes through the strategy with the version you opened).
 */
export function MovedNotice<F extends string>(props: { table: string; row: Row; form: EditForm<F>; note?: string }) {
  const { table, row, form } = props;
  const { user } = useSession();
  const nameOf = useUserNames();
  const person = (id: string | null) => (id === user.id ? 'You' : id ? nameOf(id) : 'Someone');
  const replaced = Object.entries(form.replaced) as [F, string][];

  if (form.moved.length === 0 && replaced.length === 0) return null;
  if (form.moved.length > 0 && !form.noticeOpen) {
    return (
      <p className="moved-notice moved-compact" data-testid="moved-notice" data-state="dismissed">
        This {tableNoun(table)} changed since you opened the form.{' '}
        <button type="button" className="link" onClick={form.showNotice}>
          Show what changed
        </button>
      </p>
    );
  }
  const people = listPeople(form.moved.map((m) => person(whoChanged(table, row, m.field))));
  const labels = form.moved.map((m) => fieldLabel(table, m.field));
  return (
    <div className="moved-notice" role="status" data-testid="moved-notice" data-state="open">
      {form.moved.length > 0 && (
        <>
          <p>
            <strong>
              {people} changed {listFields(labels)} while you were editing.
            </strong>
          </p>
          <ul>
            {form.moved.map((m) => (
              <li key={m.field} data-testid="moved-field" data-field={m.field}>
                {fieldLabel(table, m.field)}: now <q>{displayValue(table, m.field, m.now, nameOf)}</q>
                <span className="hint"> (you opened it as “{displayValue(table, m.field, m.before, nameOf)}”)</span>
              </li>
            ))}
          </ul>
          {(props.note ?? AFTER_A_MOVE[table]) && <p className="hint">{props.note ?? AFTER_A_MOVE[table]}</p>}
          <div className="form-actions">
            <button type="button" onClick={form.reload} data-testid="moved-reload">
              Reload with their changes
            </button>
            <button type="button" className="quiet" onClick={form.keepEditing} data-testid="moved-keep">
              Keep editing
            </button>
          </div>
        </>
      )}
      {replaced.length > 0 && (
        <div className="moved-replaced" data-testid="moved-replaced">
          <p>Reloading put their version in these fields; yours were:</p>
          <ul>
            {replaced.map(([field, mine]) => (
              <li key={field}>
                {fieldLabel(table, field)}: <q>{mine || '(empty)'}</q>{' '}
                <button type="button" className="link" onClick={() => form.restoreReplaced(field)}>
                  Use mine
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
