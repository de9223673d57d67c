import { schema } from '@cr/demo-domain';
import { columnNames } from '@cr/schema';
import { type AbstractPowerSyncDatabase, type CrudEntry, UpdateType } from '@powersync/common';
import type pg from 'pg';

/**
 * A test-only connector upload: applies the client's CrudEntries straight to Postgres (generic
 * INSERT / UPDATE / DELETE by the schema's table and column names; no conflict handling), one
 * database transaction per client transaction. The point is the sync protocol, not the API.
 */
export interface DirectUploaderOptions {
  /** Awaited before each transaction is applied (a test holds uploads back with it). */
  gate?: () => Promise<void>;
  /** Runs in the same database transaction after each entry (a server-side change to the row). */
  afterApply?: (client: pg.PoolClient, entry: CrudEntry) => Promise<void>;
}

export function directUploader(pool: pg.Pool, options: DirectUploaderOptions = {}) {
  return async (db: AbstractPowerSyncDatabase): Promise<void> => {
    for (;;) {
      const transaction = await db.getNextCrudTransaction();
      if (!transaction) return;
      await options.gate?.();
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        for (const entry of transaction.crud) {
          await apply(client, entry);
          await options.afterApply?.(client, entry);
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
      await transaction.complete();
    }
  };
}

function checkedColumns(table: string, data: Record<string, unknown>): string[] {
  if (!schema.has(table)) throw new Error(`unknown table ${table}`);
  const known = new Set(columnNames(schema.table(table)));
  const columns = Object.keys(data);
  for (const column of columns) if (!known.has(column)) throw new Error(`unknown column ${table}.${column}`);
  return columns;
}

async function apply(client: pg.PoolClient, entry: CrudEntry): Promise<void> {
  const data = entry.opData ?? {};
  const columns = checkedColumns(entry.table, data);
  const values = columns.map((column) => data[column]);
  const table = `"${entry.table}"`;
  if (entry.op === UpdateType.DELETE) {
    await client.query(`DELETE FROM ${table} WHERE id = $1`, [entry.id]);
  } else if (entry.op === UpdateType.PUT) {
    const names = ['id', ...columns].map((c) => `"${c}"`).join(', ');
    const params = ['id', ...columns].map((_, i) => `$${i + 1}`).join(', ');
    const updates = columns.map((c) => `"${c}" = excluded."${c}"`).join(', ');
    await client.query(
      `INSERT INTO ${table} (${names}) VALUES (${params}) ON CONFLICT (id) DO ${updates ? `UPDATE SET ${updates}` : 'NOTHING'}`,
      [entry.id, ...values],
    );
  } else if (columns.length > 0) {
    const sets = columns.map((c, i) => `"${c}" = $${i + 2}`).join(', ');
    await client.query(`UPDATE ${table} SET ${sets} WHERE id = $1`, [entry.id, ...values]);
  }
}
