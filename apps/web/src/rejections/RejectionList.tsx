import { PATIENT_FIELDS_BY_ROLE, policy } from '@cr/demo-domain';
import { useQuery } from '@powersync/react';
import { useId } from 'react';
import { useGuardedAction } from '../edits/use-guarded-action.ts';
import { useSession } from '../session/session-context.ts';
import { CopyButton } from '../ui/CopyButton.tsx';
import { displayValue, fieldLabel } from '../ui/field-labels.ts';
import { formatWhen } from '../ui/format.ts';
import { useUserNames } from '../ui/use-user-names.ts';
import {
  type NotApplied,
  notApplied,
  type RejectionView,
  rejectionRecord,
  rejectionStory,
} from './describe-rejection.ts';
import { restoreValue } from './restore-value.ts';

/** The signed-in user's refusals on these tables, each with the record it is about (by name). */
function rejectionsQuery(tables: readonly string[]): string {
  const placeholders = tables.map(() => '?').join(', ');
  return `SELECT r.id, r.table_name, r.row_id, r.code, r.message, r.created_at, r.data,
                 CASE r.table_name WHEN 'field_changes' THEN 'tasks'
                                   WHEN 'write_conflicts' THEN COALESCE(wc.table_name, 'write_conflicts')
                                   ELSE r.table_name END AS record_table,
                 COALESCE(t.title, d.title, o.customer, i.name, p.name, ft.title, ct.title, cd.title) AS record_name,
                 p.field_versions AS field_versions
            FROM rejections r
            LEFT JOIN tasks t ON r.table_name = 'tasks' AND t.id = r.row_id
            LEFT JOIN documents d ON r.table_name = 'documents' AND d.id = r.row_id
            LEFT JOIN orders o ON r.table_name = 'orders' AND o.id = r.row_id
            LEFT JOIN inventory i ON r.table_name = 'inventory' AND i.id = r.row_id
            LEFT JOIN patients p ON r.table_name = 'patients' AND p.id = r.row_id
            LEFT JOIN field_changes fc ON r.table_name = 'field_changes' AND fc.id = r.row_id
            LEFT JOIN tasks ft ON r.table_name = 'field_changes'
                               AND ft.id = COALESCE(fc.row_id, json_extract(r.data, '$.row_id'))
            LEFT JOIN write_conflicts wc ON r.table_name = 'write_conflicts' AND wc.id = r.row_id
            LEFT JOIN tasks ct ON wc.table_name = 'tasks' AND ct.id = wc.row_id
            LEFT JOIN documents cd ON wc.table_name = 'documents' AND cd.id = wc.row_id
           WHERE r.user_id = ? AND r.dismissed_at IS NULL AND r.table_name IN (${placeholders})
           ORDER BY r.created_at DESC LIMIT 20`;
}

function valueText(entry: NotApplied, nameOf: (id: unknown) => string): string {
  return displayValue(entry.table, entry.field, entry.value, nameOf);
}

function Rejection(props: { rejection: RejectionView }) {
  const { db, user } = useSession();
  const nameOf = useUserNames();
  const { rejection } = props;
  const values = notApplied(rejection);
  const record = rejectionRecord(rejection);
  const dismiss = useGuardedAction(() =>
    db.execute('UPDATE rejections SET dismissed_at = ? WHERE id = ? AND dismissed_at IS NULL', [
      new Date().toISOString(),
      rejection.id,
    ]),
  );
  const restore = useGuardedAction(async (entry: NotApplied) => {
    await restoreValue(db, user, entry, rejection.row_id);
    await db.execute('UPDATE rejections SET dismissed_at = ? WHERE id = ?', [new Date().toISOString(), rejection.id]);
  });
  const restorable = (entry: NotApplied) =>
    rejection.code === 'FIELD_SUPERSEDED' &&
    entry.table === 'patients' &&
    policy.canWrite(user.role, 'patients') &&
    PATIENT_FIELDS_BY_ROLE[user.role].includes(entry.field);

  return (
    <li className="rejection" data-testid="rejection" data-code={rejection.code} data-rejected-row={rejection.row_id}>
      <div className="rejection-body">
        <p className="rejection-record">
          Not applied to <strong>{record}</strong>
        </p>
        <p className="rejection-message">{rejectionStory(rejection, nameOf)}</p>
        {values.length > 0 && (
          <ul className="not-applied" aria-label="Values that were not applied">
            {values.map((entry) => (
              <li key={entry.field} data-testid="not-applied" data-field={entry.field}>
                <span className="field-name">{fieldLabel(entry.table, entry.field)}</span>{' '}
                <q className="field-value">{valueText(entry, nameOf)}</q>
                <CopyButton
                  text={valueText(entry, nameOf)}
                  what={`your ${fieldLabel(entry.table, entry.field).toLowerCase()}`}
                />
                {restorable(entry) && (
                  <button
                    type="button"
                    className="small"
                    disabled={restore.busy}
                    onClick={() => restore.run(entry)}
                    data-testid="restore-value"
                  >
                    Restore mine
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
        <p className="meta">
          <span>{formatWhen(rejection.created_at)}</span>
          <code className="chip code-chip" title={rejection.message}>
            {rejection.code}
          </code>
        </p>
      </div>
      <button
        type="button"
        className="quiet"
        disabled={dismiss.busy}
        onClick={() => dismiss.run()}
        data-testid="rejection-dismiss"
      >
        Dismiss<span className="visually-hidden"> the refusal about {record}</span>
      </button>
    </li>
  );
}

/**
 * The signed-in user's refused changes on these tables, as the server recorded them (synced
 * back, so they survive reloads and reach every device): the record by name, what happened in
 * words, the values that were not applied (copy, or restore a field someone changed later), and
 * the code as a secondary chip. Dismiss hides one everywhere.
 */
export function RejectionList(props: { tables: string[]; title?: string }) {
  const { user } = useSession();
  const titleId = useId();
  const { data } = useQuery<RejectionView>(rejectionsQuery(props.tables), [user.id, ...props.tables]);
  if (data.length === 0) return null;
  return (
    <section className="rejections" aria-labelledby={titleId} data-testid="rejections">
      <h2 id={titleId}>{props.title ?? 'Refused changes'}</h2>
      <ul>
        {data.map((rejection) => (
          <Rejection key={rejection.id} rejection={rejection} />
        ))}
      </ul>
    </section>
  );
}
