import type pg from 'pg';
import type { OperationOutcome } from './outcome.ts';
import { preparedQuery } from './prepared.ts';
import type { WriteStatement } from './write-statement.ts';

/**
 * The applied-operations ledger: one row per (client id, operation id), written in the same
 * transaction as the operation's effect. What is in it has happened exactly once.
 */

export interface LedgerEntry extends OperationOutcome {
  tx_id: number | null;
  operation: string;
}

export async function readLedger(
  client: pg.ClientBase,
  clientId: string,
  opIds: readonly number[],
): Promise<Map<number, OperationOutcome>> {
  if (opIds.length === 0) return new Map();
  const { rows } = await preparedQuery<{
    op_id: number;
    table_name: string;
    row_id: string;
    status: OperationOutcome['status'];
    code: string | null;
    message: string | null;
    conflict_id: string | null;
  }>(
    client,
    `SELECT op_id, table_name, row_id, status, code, message, conflict_id
       FROM applied_operations WHERE client_id = $1 AND op_id = ANY($2::bigint[])`,
    [clientId, [...opIds]],
  );
  return new Map(
    rows.map((r) => [
      r.op_id,
      {
        op_id: r.op_id,
        table: r.table_name,
        id: r.row_id,
        status: r.status,
        ...(r.code ? { code: r.code } : {}),
        ...(r.message ? { message: r.message } : {}),
        ...(r.conflict_id ? { conflict_id: r.conflict_id } : {}),
      },
    ]),
  );
}

/** Adds the ledger rows of a batch to its write statement (committed with the effects). */
export function addLedger(
  statement: WriteStatement,
  clientId: string,
  userId: string,
  entries: readonly LedgerEntry[],
): void {
  if (entries.length === 0) return;
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
