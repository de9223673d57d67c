import { type Tuple, UNCHANGED_TOAST } from '../pg/pgoutput.ts';
import type { SourceTable } from '../pg/source-tables.ts';
import { membershipKey, putOp, removeOp } from './bucket-ops.ts';
import type { PendingBatch } from './pending-batch.ts';
import type { RowEvaluator, RowText } from './row-evaluator.ts';
import type { CurrentRow, Membership } from './storage-writes.ts';

/**
 * A source row was inserted or updated: a PUT in every bucket it is in now, a REMOVE in every
 * bucket it has left, and its parameter lookups brought up to date. Unchanged TOASTed values are
 * taken from the row's previous version (the caller makes sure it has them, see toast.ts).
 * Returns the row's new state, with all its values.
 */
export function putRow(
  batch: PendingBatch,
  evaluator: RowEvaluator,
  table: SourceTable,
  key: string,
  tuple: Tuple,
  before: CurrentRow | null,
): CurrentRow {
  const rowData: RowText = {};
  table.columns.forEach((column, index) => {
    const value = tuple[index];
    rowData[column.name] = value === UNCHANGED_TOAST ? (before?.rowData?.[column.name] ?? null) : (value ?? null);
  });
  const { rows, lookups, subkey } = evaluator.evaluate(table, rowData);
  const buckets: Membership[] = [];
  for (const row of rows) {
    buckets.push([row.bucket, row.table, row.id]);
    batch.addOp(row.bucket, putOp(row, subkey));
  }
  const kept = new Set(buckets.map(membershipKey));
  for (const old of before?.buckets ?? []) {
    if (!kept.has(membershipKey(old))) batch.addOp(old[0], removeOp(old, subkey));
  }
  diffLookups(batch, table.id, key, before?.lookups ?? {}, lookups);
  return { rowData, buckets, lookups };
}

/** A source row was deleted: it leaves every bucket and every lookup. */
export function deleteRow(
  batch: PendingBatch,
  evaluator: RowEvaluator,
  table: SourceTable,
  key: string,
  before: CurrentRow,
): void {
  const subkey = evaluator.subkey(table, key);
  for (const old of before.buckets) batch.addOp(old[0], removeOp(old, subkey));
  diffLookups(batch, table.id, key, before.lookups, {});
}

function diffLookups(
  batch: PendingBatch,
  sourceTable: string,
  sourceKey: string,
  before: Record<string, string>,
  after: Record<string, string>,
): void {
  for (const [lookup, parameters] of Object.entries(after)) {
    if (before[lookup] !== parameters) batch.addLookup(lookup, sourceTable, sourceKey, parameters);
  }
  for (const lookup of Object.keys(before)) {
    if (!Object.hasOwn(after, lookup)) batch.addLookup(lookup, sourceTable, sourceKey, '[]');
  }
}
