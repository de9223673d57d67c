import { createHash } from 'node:crypto';
import { type Context, OUTCOME_TABLES, type RawCrudEntry, RejectionCode, WorkingSet } from '@cr/strategies';
import type pg from 'pg';
import type { WriteStatement } from '../db/write-statement.ts';
import { claimOf, recordRejection } from './decide-group.ts';
import type { Engine } from './engine.ts';
import type { LedgerEntry } from './ledger.ts';

/** The entries of an upload, split into operations (first of each id) and repeated ids. */
export function splitDuplicates(entries: readonly RawCrudEntry[]): {
  unique: Map<number, RawCrudEntry>;
  /** Later entries whose operation id came before in the same upload, by position. */
  repeated: Map<number, { entry: RawCrudEntry; occurrence: number }>;
} {
  const unique = new Map<number, RawCrudEntry>();
  const repeated = new Map<number, { entry: RawCrudEntry; occurrence: number }>();
  const seen = new Map<number, number>();
  entries.forEach((entry, index) => {
    const count = (seen.get(entry.op_id) ?? 0) + 1;
    seen.set(entry.op_id, count);
    if (count === 1) unique.set(entry.op_id, entry);
    else repeated.set(index, { entry, occurrence: count });
  });
  return { unique, repeated };
}

/**
 * The id of the rejection recorded for a repeated operation id: derived from who, which client,
 * which operation and which repetition, so a redelivered upload finds it instead of recording it
 * again (it has no ledger entry: the ledger's key is the first occurrence's).
 */
function rejectionId(ctx: Context, opId: number, occurrence: number): string {
  const hex = createHash('sha256')
    .update(JSON.stringify(['duplicate-op-id', ctx.user.id, ctx.clientId, opId, occurrence]))
    .digest('hex');
  const variant = ((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Answers each repeated operation id with a rejection of its own, recorded in `rejections` once
 * (the second occurrence is a different operation the client sent; dropping it silently, or
 * answering it with the first one's outcome, would lose it). Adds the records to `statement`.
 */
export async function rejectDuplicates(
  client: pg.ClientBase,
  engine: Engine,
  repeated: ReadonlyMap<number, { entry: RawCrudEntry; occurrence: number }>,
  ctx: Context,
  statement: WriteStatement,
): Promise<Map<number, LedgerEntry>> {
  const answers = new Map<number, LedgerEntry>();
  if (repeated.size === 0) return answers;
  const set = new WorkingSet();
  const ids = new Map([...repeated].map(([index, d]) => [index, rejectionId(ctx, d.entry.op_id, d.occurrence)]));
  await engine.store.load(
    client,
    set,
    [...ids.values()].map((id) => ({ table: OUTCOME_TABLES.rejections, id })),
  );
  for (const [index, { entry }] of repeated) {
    const id = ids.get(index) as string;
    const claim = claimOf(engine, entry);
    const message = `Operation ${entry.op_id} appears more than once in this upload; only its first occurrence was applied, not this one.`;
    if (set.get(OUTCOME_TABLES.rejections, id) === null) {
      recordRejection(set, entry, claim, RejectionCode.DuplicateOperationId, message, ctx, id);
    }
    answers.set(index, {
      op_id: entry.op_id,
      tx_id: null,
      table: claim.table,
      id: claim.id,
      operation: claim.op,
      status: 'rejected',
      code: RejectionCode.DuplicateOperationId,
      message,
    });
  }
  engine.store.addChanges(statement, set.changes());
  return answers;
}
