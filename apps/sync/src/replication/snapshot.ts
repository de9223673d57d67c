import pg from 'pg';
import type { Logger } from '../log.ts';
import { RAW_TEXT_TYPES } from '../pg/connection.ts';
import type { Tuple } from '../pg/pgoutput.ts';
import { type SourceTable, sourceKey } from '../pg/source-tables.ts';
import type { BatchWriter } from '../storage/batch-writer.ts';

const CHUNK_ROWS = 2000;

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

function keyColumns(table: SourceTable): string {
  return table.keyIndexes.map((index) => quote(table.columns[index]?.name ?? '')).join(', ');
}
const PROGRESS_EVERY_MS = 5000;

/**
 * The initial copy of the synced tables, after the slot exists (docs/powersync-protocol.md §8):
 * one repeatable-read transaction over all tables, read with a cursor in chunks, each chunk
 * written to storage like replicated inserts. Changes that happen meanwhile are replayed from the
 * slot afterwards; PUTs are idempotent, so the replay converges on the same rows.
 */
export async function snapshotTables(
  config: pg.ClientConfig,
  tables: SourceTable[],
  writer: BatchWriter,
  logger: Logger,
  signal: AbortSignal,
): Promise<number> {
  const client = new pg.Client(config);
  client.on('error', () => {}); // a lost connection also fails the statement in flight
  await client.connect();
  let total = 0;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    for (const [index, table] of tables.entries()) {
      const started = Date.now();
      let reported = started;
      let rows = 0;
      const columns = table.columns.map((column) => quote(column.name)).join(', ');
      const [schema, name] = [table.ref.schema, table.ref.name].map(quote);
      // In key order: clients then insert rows in index order, which is much faster for them
      // than the table's physical order when keys are random UUIDs.
      const order = table.keyIndexes.length < table.columns.length ? ` ORDER BY ${keyColumns(table)}` : '';
      await client.query(
        `DECLARE snapshot_cursor NO SCROLL CURSOR FOR SELECT ${columns} FROM ${schema}.${name}${order}`,
      );
      for (;;) {
        signal.throwIfAborted();
        const result = await client.query<unknown[]>({
          text: `FETCH ${CHUNK_ROWS} FROM snapshot_cursor`,
          rowMode: 'array',
          types: RAW_TEXT_TYPES,
        });
        if (result.rows.length === 0) break;
        await writer.write(
          result.rows.map((values) => {
            const tuple = values as Tuple;
            return { kind: 'put', table, key: sourceKey(table, tuple), tuple };
          }),
        );
        await writer.commit(null);
        rows += result.rows.length;
        if (Date.now() - reported >= PROGRESS_EVERY_MS) {
          reported = Date.now();
          logger.info(`snapshot ${table.id}: ${rows} rows so far`);
        }
      }
      await client.query('CLOSE snapshot_cursor');
      total += rows;
      logger.info(
        `snapshot ${table.id}: ${rows} rows in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
          `(table ${index + 1} of ${tables.length})`,
      );
    }
    await client.query('COMMIT');
    return total;
  } finally {
    await client.end().catch(() => {});
  }
}
