import { REVIEWERS } from '@cr/demo-domain';
import { useQuery } from '@powersync/react';
import { useRef, useState } from 'react';
import { useSession } from '../session/session-context.ts';
import { bannerRows, cardEnding, nextOpen } from './banner-rows.ts';
import { type Conflict, ConflictCard } from './ConflictCard.tsx';
import type { Resolution } from './resolve-conflict.ts';

/**
 * On every screen: the unresolved conflicts this user can resolve (their own; for a reviewer,
 * everyone's — the sync rules deliver exactly those), collapsed to a count until opened. Once
 * open, nothing moves (banner-rows.ts): the bar's text and the cards stay as they were, new
 * conflicts are announced at the end, and after each choice the focus goes to the next conflict.
 */
export function ConflictBanner() {
  const { user } = useSession();
  const reviewer = REVIEWERS.includes(user.role);
  const { data: conflicts } = useQuery<Conflict>(
    `SELECT id, user_id, table_name, row_id, operation, code, message, created_at, client_values, server_values,
            base_values
       FROM write_conflicts WHERE status = 'open' AND (? OR user_id = ?) ORDER BY created_at, id`,
    [reviewer ? 1 : 0, user.id],
  );
  const [order, setOrder] = useState<string[] | null>(null);
  const [endedHere, setEndedHere] = useState<Record<string, Resolution>>({});
  const cache = useRef(new Map<string, Conflict>());
  // Conflicts resolved here and since seen closed (banner-rows.ts cardEnding).
  const closedSeen = useRef(new Set<string>());
  const toggleRef = useRef<HTMLButtonElement>(null);
  for (const conflict of conflicts) cache.current.set(conflict.id, conflict);

  const open = order !== null;
  if (!open && conflicts.length === 0) return null;
  const { rows, arrived } = bannerRows(order ?? [], conflicts, cache.current);
  const count = open ? rows.length : conflicts.length;
  const openRows = rows.filter((row) => row.open).length;
  for (const row of rows) if (!row.open && endedHere[row.id] !== undefined) closedSeen.current.add(row.id);

  const toggle = () => {
    if (open) {
      setOrder(null);
      setEndedHere({});
      cache.current.clear();
      closedSeen.current.clear();
    } else setOrder(conflicts.map((conflict) => conflict.id));
  };
  const resolved = (id: string, resolution: Resolution) => {
    closedSeen.current.delete(id);
    setEndedHere((current) => ({ ...current, [id]: resolution }));
    const next = nextOpen(rows, id);
    // Without scrolling: a scroll would move another conflict's buttons under a pointer that has
    // not moved. The next Tab brings the focused card into view.
    requestAnimationFrame(() => {
      const target = next ? document.getElementById(`conflict-${next}`) : toggleRef.current;
      target?.focus({ preventScroll: true });
    });
  };

  return (
    <section className="conflict-banner" aria-label="Unresolved conflicts" data-testid="conflict-banner">
      <div className="banner-bar">
        <p>
          <strong data-testid="conflict-count">{count}</strong> {open ? 'conflict' : 'unresolved conflict'}
          {count === 1 ? '' : 's'}
          {open ? ' to review' : ''}
          {reviewer ? ' across all users' : ''}: edits the server could not apply because the record changed first.
        </p>
        <button
          ref={toggleRef}
          type="button"
          onClick={toggle}
          aria-expanded={open}
          aria-controls="conflict-list"
          data-testid="conflict-toggle"
        >
          {open ? 'Close' : 'Review'}
        </button>
      </div>
      {open && (
        <div id="conflict-list">
          <ul className="conflict-list">
            {rows.map((row) => {
              const { ended, reopened } = cardEnding(row, endedHere[row.id], closedSeen.current.has(row.id));
              return (
                <ConflictCard
                  key={row.id}
                  conflict={row.conflict}
                  ended={ended}
                  reopened={reopened}
                  onResolved={(resolution) => resolved(row.id, resolution)}
                />
              );
            })}
          </ul>
          <div className="banner-foot" role="status" data-testid="conflict-arrivals">
            {openRows === 0 && arrived.length === 0 && <p>All conflicts here are resolved.</p>}
            {arrived.length > 0 && (
              <p>
                {arrived.length} new conflict{arrived.length === 1 ? '' : 's'} arrived since you opened this list.{' '}
                <button
                  type="button"
                  onClick={() => setOrder((current) => [...(current ?? []), ...arrived.map((conflict) => conflict.id)])}
                  data-testid="conflict-show-new"
                >
                  Show {arrived.length === 1 ? 'it' : 'them'} below
                </button>
              </p>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
