import type { Operation } from './types.ts';

/**
 * The base an edit was made on, for the version column `column`: what the user *saw*.
 *
 * An edit surface (a form) that stays open while the synced row changes underneath must not claim
 * the newer version: the client states the version its form was opened on in
 * `_metadata.base` (`{"base": {"updated_at": "…"}}`, `{"base": {"version": 3}}`). Without one,
 * the local row's old value from change tracking (`trackPrevious`) is the base — what an edit made
 * on the row as it stood, offline or online, carries anyway. The stated base wins: the local row
 * may have moved under the form (a sync), and taking its newer value would let a stale edit
 * overwrite work its author never saw.
 */
export function editBase(op: Operation, column: string): unknown {
  const stated = op.metadata?.base;
  if (typeof stated === 'object' && stated !== null && !Array.isArray(stated) && Object.hasOwn(stated, column)) {
    return (stated as Record<string, unknown>)[column];
  }
  return op.previous?.[column];
}

/** The base values recorded with a conflict: the tracked old values, with the base that was used. */
export function baseValues(op: Operation, column: string): Record<string, unknown> | null {
  const base = editBase(op, column);
  if (base === undefined) return op.previous;
  return { ...(op.previous ?? {}), [column]: base };
}
