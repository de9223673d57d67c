import { randomUUID } from 'node:crypto';
import { normalizeTimestamp } from '@cr/schema';
import type pg from 'pg';
import type { Batch } from './workload.ts';

/**
 * The baseline: the same operations applied the way the reference snippets do it, one SELECT and
 * one UPDATE (or INSERT) round trip per operation. It keeps no ledger and takes no locks, so it is
 * also not safe against duplicates or races; it is here to measure speed only.
 */
const COLUMNS: Record<string, readonly string[]> = {
  tasks: ['title', 'modified_at'],
  documents: ['body'],
  orders: ['customer', 'status'],
  patients: ['heart_rate', 'notes'],
};

export type BaselineMode = 'transaction' | 'autocommit';

/** What the naive way did with one operation (for the naive endpoint's answer). */
export type BaselineStatus = 'applied' | 'conflict' | 'skipped';

/**
 * `transaction`: the reference's complete backend example (BEGIN … COMMIT around the batch).
 * `autocommit`: the reference's per-strategy snippets as written, every statement on its own.
 * `lock`: read the row with SELECT … FOR UPDATE (transaction mode only), so that the check and the
 * write are not raced by a concurrent upload: the naive endpoint does this (bench/naive-server.ts).
 */
export async function applyBaseline(
  pool: pg.Pool,
  batch: Batch,
  mode: BaselineMode = 'transaction',
  options: { lock?: boolean } = {},
): Promise<BaselineStatus[]> {
  const lock = options.lock === true && mode === 'transaction' ? ' FOR UPDATE' : '';
  const statuses: BaselineStatus[] = [];
  const client = await pool.connect();
  try {
    if (mode === 'transaction') await client.query('BEGIN');
    for (const entry of batch.entries) {
      const table = String(entry.type);
      const id = String(entry.id);
      const data = entry.data as Record<string, unknown>;
      const old = (entry.old ?? {}) as Record<string, unknown>;
      if (table === 'field_changes') {
        await client.query('SELECT id FROM field_changes WHERE id = $1', [id]);
        await client.query(
          `INSERT INTO field_changes (id, user_id, table_name, row_id, field_name, new_value, status, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, 'pending', now(), now())`,
          [id, batch.user, data.table_name, data.row_id, data.field_name, data.new_value],
        );
        statuses.push('applied');
        continue;
      }
      const { rows } = await client.query(`SELECT * FROM ${table} WHERE id = $1${lock}`, [id]);
      const row = rows[0];
      if (!row) {
        statuses.push('skipped');
        continue;
      }
      if (table === 'inventory') {
        const delta = (data.quantity as number) - (old.quantity as number);
        await client.query('UPDATE inventory SET quantity = quantity + $1, updated_at = now() WHERE id = $2', [
          delta,
          id,
        ]);
        statuses.push('applied');
        continue;
      }
      const stale =
        (table === 'tasks' && String(old.modified_at) !== normalizeTimestamp(String(row.modified_at))) ||
        (table === 'documents' && old.version !== row.version);
      if (stale) {
        await client.query(
          `INSERT INTO write_conflicts (id, user_id, table_name, row_id, operation, strategy, code, message, client_values,
             server_values, client_id, op_id, created_at)
           VALUES ($1, $2, $3, $4, 'PATCH', 'baseline', 'STALE', 'stale', $5, $6, 'baseline', $7, now())`,
          [randomUUID(), batch.user, table, id, JSON.stringify(data), JSON.stringify(row), entry.op_id],
        );
        statuses.push('conflict');
        continue;
      }
      const columns = (COLUMNS[table] ?? []).filter((c) => c in data);
      const sets = columns.map((c, i) => `${c} = $${i + 1}`);
      if (table === 'documents') sets.push('version = version + 1');
      await client.query(`UPDATE ${table} SET ${sets.join(', ')} WHERE id = $${columns.length + 1}`, [
        ...columns.map((c) => data[c]),
        id,
      ]);
      statuses.push('applied');
    }
    if (mode === 'transaction') await client.query('COMMIT');
    return statuses;
  } catch (error) {
    if (mode === 'transaction') await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
