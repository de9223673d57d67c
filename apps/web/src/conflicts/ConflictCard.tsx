import type { WriteConflictRow } from '@cr/schema';
import { useMemo, useState } from 'react';
import { useSession } from '../session/session-context.ts';
import { formatValue, formatWhen } from '../ui/format.ts';
import { parseJsonColumn } from '../ui/ids.ts';
import { useUserNames } from '../ui/use-user-names.ts';
import { type Choice, conflictFields, conflictRowLabel, mergedValues } from './conflict-diff.ts';
import { resolveConflict } from './resolve-conflict.ts';

export type Conflict = Pick<
  WriteConflictRow,
  'id' | 'user_id' | 'table_name' | 'row_id' | 'operation' | 'code' | 'message' | 'created_at'
> & { client_values: string | null; server_values: string | null };

const TABLE_NOUNS: Record<string, string> = { tasks: 'Task', documents: 'Document' };

/** One conflict: both versions side by side, differences highlighted; keep one side or merge. */
export function ConflictCard(props: { conflict: Conflict }) {
  const { db, user } = useSession();
  const nameOf = useUserNames();
  const { conflict } = props;
  const { client, server, fields } = useMemo(() => {
    const client = parseJsonColumn<Record<string, unknown>>(conflict.client_values);
    const server = parseJsonColumn<Record<string, unknown>>(conflict.server_values);
    return { client, server, fields: conflictFields(conflict.table_name, client, server) };
  }, [conflict.table_name, conflict.client_values, conflict.server_values]);
  const [merging, setMerging] = useState(false);
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const own = conflict.user_id === user.id;
  const author = nameOf(conflict.user_id);
  // A reviewer keeping "mine" keeps the author's (often offline) version, not their own.
  const mineLabel = own ? 'Your version' : `${author}’s version`;
  const keepMineLabel = own ? 'Keep mine' : `Keep ${author}’s version`;
  const label = conflictRowLabel(conflict.row_id, client, server);

  return (
    <li
      className="conflict-card"
      data-testid="conflict-card"
      data-conflict-id={conflict.id}
      data-table={conflict.table_name}
      data-row-id={conflict.row_id}
    >
      <div className="conflict-heading">
        <h3>
          {TABLE_NOUNS[conflict.table_name] ?? conflict.table_name} “{label}”
        </h3>
        <code className="chip">{conflict.code}</code>
      </div>
      <p className="meta">
        Edit by {author} · recorded {formatWhen(conflict.created_at)}
      </p>
      <p className="conflict-message">{conflict.message}</p>
      <table className="conflict-table">
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">{mineLabel}</th>
            <th scope="col">Server version</th>
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
                {field.field.replaceAll('_', ' ')}
                {field.differs && <span className="visually-hidden"> (differs)</span>}
              </th>
              <td>{formatValue(field.mine)}</td>
              <td>{formatValue(field.server)}</td>
              {merging && (
                <td>
                  <fieldset className="merge-choice">
                    <legend className="visually-hidden">Keep which {field.field} value</legend>
                    {(['mine', 'server'] as const).map((side) => (
                      <label key={side}>
                        <input
                          type="radio"
                          name={`${conflict.id}-${field.field}`}
                          checked={(choices[field.field] ?? 'server') === side}
                          onChange={() => setChoices((current) => ({ ...current, [field.field]: side }))}
                          data-testid={`merge-${field.field}-${side}`}
                        />
                        {side === 'mine' ? (own ? 'mine' : author) : 'server'}
                      </label>
                    ))}
                  </fieldset>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      <div className="form-actions">
        {merging ? (
          <>
            <button
              type="button"
              className="primary"
              onClick={() => void resolveConflict(db, conflict.id, 'merged', mergedValues(fields, choices))}
              data-testid="conflict-save-merge"
            >
              Save merge
            </button>
            <button type="button" onClick={() => setMerging(false)}>
              Cancel
            </button>
          </>
        ) : (
          <>
            <button
              type="button"
              onClick={() => void resolveConflict(db, conflict.id, 'mine')}
              data-testid="conflict-keep-mine"
            >
              {keepMineLabel}
            </button>
            <button
              type="button"
              onClick={() => void resolveConflict(db, conflict.id, 'server')}
              data-testid="conflict-keep-server"
            >
              Keep server version
            </button>
            <button type="button" onClick={() => setMerging(true)} data-testid="conflict-merge">
              Merge field by field
            </button>
          </>
        )}
      </div>
    </li>
  );
}
