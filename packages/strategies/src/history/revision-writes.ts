import type { PolicyTable } from '../policy/policy-types.ts';
import { applyEffect } from '../row-values.ts';
import type { Context, Decision, Operation, Row, RowSource, Write } from '../types.ts';
import type { RevisionKind } from './revisions-table.ts';

/** A table's history, as the policy resolved it (option `history` of the table). */
export interface HistoryConfig {
  /** The revisions table (defined with `revisionsTable`). */
  readonly table: string;
  /** The columns each revision copies from the row: the revisions table's columns besides its own. */
  readonly fields: readonly string[];
  /** The source table's integer version column (its strategy's version). */
  readonly version: string;
  /** Retention: the last `last` versions of a row are kept, and every version from the last `days` days. */
  readonly keep: { readonly last: number; readonly days: number };
}

/** How the edit says what it is (`_metadata.kind`); only `restore` means something today. */
export const RESTORE_KIND = 'restore';

/** What kind of revision a write makes, from the decision that made it (see REVISION_KINDS). */
export function revisionKind(op: Operation, decision: Decision, write: Write): RevisionKind {
  if (write.effect.kind === 'insert') return 'create';
  if (write.table !== op.table) return 'resolution';
  if (decision.outcome === 'merged') return 'merge';
  return op.metadata?.kind === RESTORE_KIND ? 'restore' : 'edit';
}

/**
 * The revisions an applied (or merged) decision makes: one per row of a table with a history that
 * the decision inserts or updates to a new version, holding the row as it is after the decision.
 * `rows` are the rows before the decision; `newId` gives each revision its id. The engine applies
 * these with the decision's own writes, so a version is never stored without its revision, nor a
 * revision without its version; the ledger makes a redelivered operation decide nothing again.
 */
export function revisionWrites(
  tableOf: (name: string) => PolicyTable,
  op: Operation,
  decision: Decision,
  rows: RowSource,
  ctx: Context,
  newId: () => string,
): Write[] {
  if (decision.outcome !== 'applied' && decision.outcome !== 'merged') return [];
  const after = new Map<string, { write: Write; row: Row | null; history: HistoryConfig }>();
  const before = new Map<string, Row | null>();
  for (const write of decision.writes) {
    const history = tableOf(write.table).history;
    if (!history) continue;
    const key = `${write.table}:${write.id}`;
    if (!before.has(key)) before.set(key, rows.get(write.table, write.id));
    const current = after.has(key) ? (after.get(key)?.row ?? null) : (before.get(key) ?? null);
    after.set(key, { write, row: applyEffect(write.table, write.id, current, write.effect), history });
  }
  const revisions: Write[] = [];
  for (const [key, { write, row, history }] of after) {
    if (row === null) continue; // a deleted row's history goes with it
    const previous = before.get(key);
    if (previous && previous[history.version] === row[history.version]) continue; // no new version
    const id = newId();
    const revision: Row = {
      id,
      row_id: write.id,
      version: row[history.version],
      ...Object.fromEntries(history.fields.map((field) => [field, row[field]])),
      kind: revisionKind(op, decision, write),
      author_id: ctx.user.id,
      created_at: ctx.now,
    };
    revisions.push({ table: history.table, id, effect: { kind: 'insert', row: revision } });
  }
  return revisions;
}
