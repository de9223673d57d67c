import { REVIEWER_ROLE } from '@cr/strategies';
import { useQuery } from '@powersync/react';
import { useState } from 'react';
import { useSession } from '../session/session-context.ts';
import { type Conflict, ConflictCard } from './ConflictCard.tsx';

/**
 * On every screen: the unresolved conflicts this user can resolve (their own; for a reviewer,
 * everyone's — the sync rules deliver exactly those), collapsed to a count until opened.
 */
export function ConflictBanner() {
  const { user } = useSession();
  const reviewer = user.role === REVIEWER_ROLE;
  const { data: conflicts } = useQuery<Conflict>(
    `SELECT id, user_id, table_name, row_id, operation, code, message, created_at, client_values, server_values
       FROM write_conflicts WHERE status = 'open' AND (? OR user_id = ?) ORDER BY created_at DESC, id`,
    [reviewer ? 1 : 0, user.id],
  );
  const [open, setOpen] = useState(false);
  if (conflicts.length === 0) return null;
  const count = conflicts.length;

  return (
    <section className="conflict-banner" aria-label="Unresolved conflicts" data-testid="conflict-banner">
      <div className="banner-bar">
        <p>
          <strong data-testid="conflict-count">{count}</strong> unresolved conflict{count === 1 ? '' : 's'}
          {reviewer ? ' across all users' : ''}: edits the server could not apply because the row changed first.
        </p>
        <button
          type="button"
          onClick={() => setOpen((value) => !value)}
          aria-expanded={open}
          aria-controls="conflict-list"
          data-testid="conflict-toggle"
        >
          {open ? 'Hide' : 'Review'}
        </button>
      </div>
      {open && (
        <ul id="conflict-list" className="conflict-list">
          {conflicts.map((conflict) => (
            <ConflictCard key={conflict.id} conflict={conflict} />
          ))}
        </ul>
      )}
    </section>
  );
}
