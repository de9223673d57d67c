import type { OperationOutcome } from '@cr/connector-kit/contract';
import { storableText } from '@cr/schema';
import type { WriteStatement } from '../db/write-statement.ts';

/**
 * The applied-operations ledger: one row per (user, client id, operation id), written in the same
 * transaction as the operation's effect. What is in it has happened exactly once. The user is the
 * signed-in one, so one user's operation is never answered with another user's outcome.
 */

export interface LedgerEntry extends OperationOutcome {
  tx_id: number | null;
  operation: string;
}

/** The ledger read of a batch, as a CTE to run in the same round trip as the row loads. */
export function ledgerRead(
  userId: string,
  clientId: string,
  opIds: readonly number[],
): { cte: string; params: unknown[] } {
  return {
    cte: `SELECT op_id, table_name, row_id, status, code, message, conflict_id
            FROM applied_operations WHERE user_id = $1 AND client_id = $2 AND ${opIds.length === 1 ? 'op_id = $3::bigint' : 'op_id = ANY($3::bigint[])'}`,
    params: [userId, clientId, opIds.length === 1 ? opIds[0] : [...opIds]],
  };
}

/** Stored outcomes by operation id, from the rows of {@link ledgerRead}. */
export function ledgerOutcomes(rows: readonly Record<string, unknown>[]): Map<number, OperationOutcome> {
  const outcomes = new Map<number, OperationOutcome>();
  for (const r of rows) {
    const opId = Number(r.op_id);
    outcomes.set(opId, {
      op_id: opId,
      table: String(r.table_name),
      id: String(r.row_id),
      status: r.status as OperationOutcome['status'],
      ...(r.code ? { code: String(r.code) } : {}),
      ...(r.message ? { message: String(r.message) } : {}),
      ...(r.conflict_id ? { conflict_id: String(r.conflict_id) } : {}),
    });
  }
  return outcomes;
}

/**
 * The outcome as it is stored and answered: what the operation claimed (table, id) may be any
 * text the client sent, so it is made storable, and an answer from the ledger on redelivery is
 * identical to the first one.
 */
export function storableEntry(entry: LedgerEntry): LedgerEntry {
  const text = (value: string | undefined) => (value === undefined ? undefined : storableText(value, 2000));
  return {
    ...entry,
    table: storableText(entry.table, 200),
    id: storableText(entry.id, 200),
    operation: storableText(entry.operation, 200),
    ...(entry.code !== undefined ? { code: text(entry.code) } : {}),
    ...(entry.message !== undefined ? { message: text(entry.message) } : {}),
  };
}

/** Adds the ledger rows of a batch to its write statement (committed with the effects). */
export function addLedger(
  statement: WriteStatement,
  clientId: string,
  userId: string,
  entries: readonly LedgerEntry[],
): void {
  if (entries.length === 0) return;
  if (entries.length === 1) {
    // One row (every one-operation upload): plain values, no arrays to build, send and unnest.
    const [e] = entries as [LedgerEntry];
    const p = (value: unknown, cast: string) => statement.param(value ?? null, cast);
    statement.add(
      `INSERT INTO applied_operations
         (client_id, op_id, user_id, tx_id, table_name, row_id, operation, status, code, message, conflict_id)
       VALUES (${p(clientId, 'text')}, ${p(e.op_id, 'bigint')}, ${p(userId, 'text')}, ${p(e.tx_id, 'bigint')},
               ${p(e.table, 'text')}, ${p(e.id, 'text')}, ${p(e.operation, 'text')}, ${p(e.status, 'text')},
               ${p(e.code, 'text')}, ${p(e.message, 'text')}, ${p(e.conflict_id, 'uuid')})`,
    );
    return;
  }
  const column = <K extends keyof LedgerEntry>(key: K, cast: string) =>
    statement.param(
      entries.map((e) => e[key] ?? null),
      cast,
    );
  statement.add(
    `INSERT INTO applied_operations
       (client_id, op_id, user_id, tx_id, table_name, row_id, operation, status, code, message, conflict_id)
     SELECT ${statement.param(clientId, 'text')}, op_id, ${statement.param(userId, 'text')}, tx_id, table_name, row_id,
            operation, status, code, message, conflict_id
       FROM unnest(${column('op_id', 'bigint[]')}, ${column('tx_id', 'bigint[]')}, ${column('table', 'text[]')},
                   ${column('id', 'text[]')}, ${column('operation', 'text[]')}, ${column('status', 'text[]')},
                   ${column('code', 'text[]')}, ${column('message', 'text[]')}, ${column('conflict_id', 'uuid[]')})
            AS x(op_id, tx_id, table_name, row_id, operation, status, code, message, conflict_id)`,
  );
}
