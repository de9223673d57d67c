import type { RejectionRow } from '@cr/schema';
import { useQuery } from '@powersync/react';
import { useSession } from '../session/session-context.ts';
import { formatWhen } from '../ui/format.ts';

type Rejection = Pick<RejectionRow, 'id' | 'table_name' | 'row_id' | 'code' | 'message' | 'created_at'>;

/**
 * The signed-in user's refused changes on these tables, as the server recorded them (synced
 * back, so they survive reloads and reach every device). Dismiss hides one everywhere.
 */
export function RejectionList(props: { tables: string[]; title?: string }) {
  const { db, user } = useSession();
  const placeholders = props.tables.map(() => '?').join(', ');
  const { data } = useQuery<Rejection>(
    `SELECT id, table_name, row_id, code, message, created_at FROM rejections
      WHERE user_id = ? AND dismissed_at IS NULL AND table_name IN (${placeholders})
      ORDER BY created_at DESC LIMIT 20`,
    [user.id, ...props.tables],
  );
  if (data.length === 0) return null;

  const dismiss = (id: string) =>
    db.execute('UPDATE rejections SET dismissed_at = ? WHERE id = ?', [new Date().toISOString(), id]);

  return (
    <section className="rejections" aria-labelledby="rejections-title" data-testid="rejections">
      <h2 id="rejections-title">{props.title ?? 'Refused changes'}</h2>
      <ul>
        {data.map((rejection) => (
          <li
            key={rejection.id}
            className="rejection"
            data-testid="rejection"
            data-code={rejection.code}
            data-rejected-row={rejection.row_id}
          >
            <div>
              <p className="rejection-message">{rejection.message}</p>
              <p className="meta">
                <code>{rejection.code}</code> · {rejection.table_name} · {formatWhen(rejection.created_at)}
              </p>
            </div>
            <button
              type="button"
              className="quiet"
              onClick={() => void dismiss(rejection.id)}
              aria-label={`Dismiss: ${rejection.message}`}
            >
              Dismiss
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
