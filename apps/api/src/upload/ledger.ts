import type pg from 'pg';
import type { OperationOutcome } from './outcome.ts';

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
  const { rows } = await client.query<{
    op_id: number;
    table_name: string;
    row_id: string;
    status: OperationOutcome['status'];
    code: string | null;
    message: string | null;
    conflict_id: string | null;
  }>(
    `SELECT op_id, table_name, row_id, status, code, message, conflict_id
       FROM applied_operations WHERE client_id = $1 AND op_id = ANY($2::bigint[])`,
    [clientId, opIds],
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

export async function writeLedger(
  client: pg.ClientBase,
  clientId: string,
  userId: string,
  entries: readonly LedgerEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map((e) => ({
    client_id: clientId,
    op_id: e.op_id,
    user_id: userId,
    tx_id: e.tx_id,
    table_name: e.table,
    row_id: e.id,
    operation: e.operation,
    status: e.status,
    code: e.code ?? null,
    message: e.message ?? null,
    conflict_id: e.conflict_id ?? null,
  }));
  await client.query(
    `INSERT INTO applied_operations
       (client_id, op_id, user_id, tx_id, table_name, row_id, operation, status, code, message, conflict_id)
     SELECT client_id, op_id, user_id, tx_id, table_name, row_id, operation, status, code, message, conflict_id
       FROM jsonb_to_recordset($1::jsonb) AS x(client_id text, op_id bigint, user_id text, tx_id bigint,
            table_name text, row_id text, operation text, status text, code text, message text, conflict_id uuid)`,
    [JSON.stringify(rows)],
  );
}
