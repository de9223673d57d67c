import { randomUUID } from 'node:crypto';
import {
  type Context,
  conflictRow,
  type Decision,
  droppedData,
  MergeCode,
  OUTCOME_TABLES,
  type ParsedEntry,
  type RawCrudEntry,
  RejectionCode,
  type RowChange,
  type RowKey,
  rejectionRow,
  revisionWrites,
  WorkingSet,
  type Write,
} from '@cr/strategies';
import type pg from 'pg';
import type { Engine } from './engine.ts';
import type { LedgerEntry } from './ledger.ts';

export interface Processed {
  ledger: LedgerEntry;
  /** The operation left a field change pending for the worker. */
  queuesFieldChange: boolean;
}

export interface GroupResult {
  processed: Processed[];
  /** The final state of every row the group changed, to be written. */
  changes: RowChange[];
}

const txId = (entry: RawCrudEntry) =>
  typeof entry.tx_id === 'number' && Number.isSafeInteger(entry.tx_id) ? entry.tx_id : null;

/** Records a refused operation as a `rejections` row in the set (a new id unless one is given). */
export function recordRejection(
  set: WorkingSet,
  entry: RawCrudEntry,
  claim: { table: string; id: string; op: string },
  code: string,
  message: string,
  ctx: Context,
  id: string = randomUUID(),
): void {
  const data =
    typeof entry.data === 'object' && entry.data !== null
      ? entry.data
      : entry.data === undefined
        ? null
        : { value: entry.data };
  const row = rejectionRow(id, { opId: entry.op_id, ...claim, data }, code, message, ctx);
  set.apply([{ table: OUTCOME_TABLES.rejections, id, effect: { kind: 'insert', row } }]);
}

function queuesFieldChange(writes: readonly Write[]): boolean {
  return writes.some(
    (w) =>
      w.table === OUTCOME_TABLES.fieldChanges &&
      ((w.effect.kind === 'insert' && w.effect.row.status === 'pending') ||
        (w.effect.kind === 'update' && w.effect.set.status === 'pending')),
  );
}

export interface PlannedEntry {
  entry: RawCrudEntry;
  result: ParsedEntry;
}

/** Parses a group's entries and lists the rows they touch (to load before deciding). */
export function planGroup(
  engine: Engine,
  entries: readonly RawCrudEntry[],
): { planned: PlannedEntry[]; keys: RowKey[] } {
  const planned = entries.map((entry) => ({ entry, result: engine.policy.parse(entry) }));
  const keys: RowKey[] = [];
  for (const { result } of planned)
    if (result.ok) keys.push({ table: result.operation.table, id: result.operation.id });
  return { planned, keys };
}

/**
 * Decides a group of operations as one unit against a working set holding their rows: loads the
 * rows some operations read besides their own (a conflict's target), then runs each operation's
 * strategy in order (later operations see earlier ones) and records conflicts and rejections as
 * rows. Returns the outcomes and the rows to write.
 */
export async function decideGroup(
  client: pg.ClientBase,
  engine: Engine,
  planned: readonly PlannedEntry[],
  set: WorkingSet,
  ctx: Context,
): Promise<GroupResult> {
  const { policy } = engine;
  const related = planned.flatMap(({ result }) => (result.ok ? policy.related(result.operation, set) : []));
  await engine.store.load(client, set, related);

  const processed: Processed[] = [];
  for (const { entry, result } of planned) {
    const base = { op_id: entry.op_id, tx_id: txId(entry) };
    if (!result.ok) {
      const claim = { table: result.table, id: result.id, op: result.op };
      recordRejection(set, entry, claim, result.code, result.message, ctx);
      processed.push({
        ledger: {
          ...base,
          table: claim.table,
          id: claim.id,
          operation: claim.op,
          status: 'rejected',
          code: result.code,
          message: result.message,
        },
        queuesFieldChange: false,
      });
      continue;
    }
    const op = result.operation;
    const claim = { table: op.table, id: op.id, op: op.op };
    const ledger = { ...base, table: op.table, id: op.id, operation: op.op };
    const decision: Decision = policy.decide(op, set, ctx);
    // Every new version of a table with a history gets its revision, in the same writes.
    const revisions = revisionWrites(policy.table, op, decision, set, ctx, randomUUID);
    switch (decision.outcome) {
      case 'applied':
        set.apply([...decision.writes, ...revisions]);
        processed.push({
          ledger: { ...ledger, status: 'applied' },
          queuesFieldChange: queuesFieldChange(decision.writes),
        });
        break;
      case 'merged': {
        set.apply([...decision.writes, ...revisions]);
        for (const dropped of decision.dropped) {
          recordRejection(
            set,
            { ...entry, data: droppedData(dropped) },
            claim,
            RejectionCode.FieldSuperseded,
            dropped.message,
            ctx,
          );
        }
        const fields = decision.dropped.map((d) => d.field).join(', ');
        const superseded = decision.dropped.length > 0;
        const message = superseded
          ? `Applied, except ${fields}: the server has a newer value.`
          : (decision.message ?? "Applied, merged with the server's newer version.");
        const code = superseded ? RejectionCode.FieldSuperseded : (decision.code ?? MergeCode.MergedConcurrentEdits);
        // Merged in part: the part that did not merge is recorded as a conflict on the new version.
        let conflictId: string | undefined;
        if (decision.conflict) {
          conflictId = randomUUID();
          const { code: why, message: story, conflict } = decision.conflict;
          const row = conflictRow(conflictId, op, conflict, why, story, ctx);
          set.apply([{ table: OUTCOME_TABLES.conflicts, id: conflictId, effect: { kind: 'insert', row } }]);
        }
        processed.push({
          ledger: { ...ledger, status: 'merged', code, message, ...(conflictId ? { conflict_id: conflictId } : {}) },
          queuesFieldChange: false,
        });
        break;
      }
      case 'rejected':
        set.apply(decision.writes);
        recordRejection(set, entry, claim, decision.code, decision.message, ctx);
        processed.push({
          ledger: { ...ledger, status: 'rejected', code: decision.code, message: decision.message },
          queuesFieldChange: false,
        });
        break;
      case 'conflict': {
        const id = randomUUID();
        const row = conflictRow(id, op, decision.conflict, decision.code, decision.message, ctx);
        set.apply([{ table: OUTCOME_TABLES.conflicts, id, effect: { kind: 'insert', row } }]);
        processed.push({
          ledger: { ...ledger, status: 'conflict', code: decision.code, message: decision.message, conflict_id: id },
          queuesFieldChange: false,
        });
        break;
      }
    }
  }
  return { processed, changes: set.changes() };
}

/** What an entry claims to be (table, id, operation), as the record of its rejection names it. */
export function claimOf(engine: Engine, entry: RawCrudEntry): { table: string; id: string; op: string } {
  const parsed = engine.policy.parse(entry);
  return parsed.ok
    ? { table: parsed.operation.table, id: parsed.operation.id, op: parsed.operation.op }
    : { table: parsed.table, id: parsed.id, op: parsed.op };
}

/** An operation the database refused (once isolated), as a rejection to record. */
export function databaseRejection(engine: Engine, entry: RawCrudEntry, message: string, ctx: Context): GroupResult {
  const claim = claimOf(engine, entry);
  const set = new WorkingSet();
  recordRejection(set, entry, claim, RejectionCode.ConstraintViolation, message, ctx);
  const processed: Processed = {
    ledger: {
      op_id: entry.op_id,
      tx_id: txId(entry),
      table: claim.table,
      id: claim.id,
      operation: claim.op,
      status: 'rejected',
      code: RejectionCode.ConstraintViolation,
      message,
    },
    queuesFieldChange: false,
  };
  return { processed: [processed], changes: set.changes() };
}
