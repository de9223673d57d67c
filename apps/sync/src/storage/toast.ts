import { RAW_TEXT_TYPES } from '../pg/connection.ts';
import { type Tuple, UNCHANGED_TOAST } from '../pg/pgoutput.ts';
import type { SourceTable } from '../pg/source-tables.ts';
import type { RowText } from './row-evaluator.ts';
import type { Queryable } from './storage-transaction.ts';

/**
 * Unchanged TOASTed values. An UPDATE that leaves a column stored out of line untouched does not
 * carry its value (pgoutput sends "unchanged"), so bucket storage keeps the last values of rows
 * that may have such columns: Postgres only moves values out of line when a row is larger than
 * about 2 kB (TOAST_TUPLE_THRESHOLD), so rows well below that are not kept, which keeps storage
 * writes small. If a value is missing anyway (a table with a lower `toast_tuple_target`), it is
 * read from the source row; a value newer than the change is corrected by the change that made
 * it, which follows in the stream.
 */

/** Text size from which a row's values are kept (half the threshold: text vs on-disk sizes differ). */
export const KEEP_ROWS_FROM_BYTES = 1000;

export function worthKeeping(row: RowText): boolean {
  let bytes = 0;
  for (const value of Object.values(row)) {
    bytes += (value?.length ?? 0) + 4;
    if (bytes >= KEEP_ROWS_FROM_BYTES) return true;
  }
  return false;
}

/** Whether the tuple has unchanged values that `kept` cannot supply. */
export function needsSourceRead(table: SourceTable, tuple: Tuple, kept: RowText | null): boolean {
  return table.columns.some(
    (column, index) => tuple[index] === UNCHANGED_TOAST && (kept === null || !Object.hasOwn(kept, column.name)),
  );
}

/** The source row's current values (text), or null when it is gone. */
export async function readSourceRow(db: Queryable, table: SourceTable, tuple: Tuple): Promise<RowText | null> {
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
  const keys = table.keyIndexes.map((index) => table.columns[index]?.name ?? '');
  const where = keys.map((name, i) => `${quote(name)} = $${i + 1}`).join(' AND ');
  const { rows } = await db.query<unknown[]>({
    text: `SELECT ${table.columns.map((c) => quote(c.name)).join(', ')} FROM ${quote(table.ref.schema)}.${quote(table.ref.name)} WHERE ${where}`,
    values: table.keyIndexes.map((index) => tuple[index]),
    rowMode: 'array',
    types: RAW_TEXT_TYPES,
  });
  const values = rows[0];
  if (!values) return null;
  return Object.fromEntries(
    table.columns.map((column, index) => [column.name, (values[index] as string | null) ?? null]),
  );
}
