import type { OpType, StoredOp } from '../protocol/lines.ts';
import type { BucketState } from './bucket-states.ts';
import type { RowText } from './row-evaluator.ts';
import type { StorageTables } from './storage-schema.ts';
import type { Queryable } from './storage-transaction.ts';
import { worthKeeping } from './toast.ts';

/**
 * Bulk statements of bucket storage. Each takes its rows as one JSON parameter (read with
 * `json_to_recordset`), so a replicated transaction costs a handful of round trips however many
 * rows it touched; JSON is also much cheaper to build than the driver's escaped array literals.
 */

export const OP_CODES: Record<OpType, number> = { PUT: 1, REMOVE: 2, MOVE: 3, CLEAR: 4 };
export const OP_TYPES: Record<number, OpType> = { 1: 'PUT', 2: 'REMOVE', 3: 'MOVE', 4: 'CLEAR' };

/** A (bucket, output table, row id) a source row is currently in. */
export type Membership = [bucket: string, table: string, id: string];

export interface CurrentRow {
  /** The row's last values; null when the row is too small to have TOASTed values (see toast.ts). */
  rowData: RowText | null;
  buckets: Membership[];
  lookups: Record<string, string>;
}

export interface ParameterEntry {
  lookup: string;
  sourceTable: string;
  sourceKey: string;
  opId: number;
  parameters: string;
}

export function currentKey(sourceTable: string, sourceKey: string): string {
  return `${sourceTable}\u0000${sourceKey}`;
}

export async function loadCurrentRows(
  db: Queryable,
  t: StorageTables,
  keys: { table: string; key: string }[],
): Promise<Map<string, CurrentRow>> {
  const result = new Map<string, CurrentRow>();
  if (keys.length === 0) return result;
  const { rows } = await db.query<{
    source_table: string;
    source_key: string;
    row_data: string | null;
    buckets: string;
    lookups: string;
  }>(
    `SELECT c.source_table, c.source_key, c.row_data, c.buckets, c.lookups
       FROM ${t.currentData} c
       JOIN json_to_recordset($1::json) AS k(t text, k text) ON c.source_table = k.t AND c.source_key = k.k`,
    [JSON.stringify(keys.map((k) => ({ t: k.table, k: k.key })))],
  );
  for (const row of rows) {
    result.set(currentKey(row.source_table, row.source_key), {
      rowData: row.row_data === null ? null : JSON.parse(row.row_data),
      buckets: JSON.parse(row.buckets),
      lookups: JSON.parse(row.lookups),
    });
  }
  return result;
}

export async function upsertCurrentRows(
  db: Queryable,
  t: StorageTables,
  rows: { table: string; key: string; row: CurrentRow }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO ${t.currentData} (source_table, source_key, row_data, buckets, lookups)
     SELECT x.t, x.k, x.r::text, x.b::text, x.l::text FROM json_to_recordset($1::json) AS x(t text, k text, r json, b json, l json)
     ON CONFLICT (source_table, source_key) DO UPDATE
       SET row_data = excluded.row_data, buckets = excluded.buckets, lookups = excluded.lookups`,
    [
      JSON.stringify(
        rows.map((r) => ({
          t: r.table,
          k: r.key,
          r: r.row.rowData !== null && worthKeeping(r.row.rowData) ? r.row.rowData : null,
          b: r.row.buckets,
          l: r.row.lookups,
        })),
      ),
    ],
  );
}

export async function deleteCurrentRows(
  db: Queryable,
  t: StorageTables,
  keys: { table: string; key: string }[],
): Promise<void> {
  if (keys.length === 0) return;
  await db.query(
    `DELETE FROM ${t.currentData} c USING json_to_recordset($1::json) AS k(t text, k text)
      WHERE c.source_table = k.t AND c.source_key = k.k`,
    [JSON.stringify(keys.map((k) => ({ t: k.table, k: k.key })))],
  );
}

export async function insertOps(db: Queryable, t: StorageTables, ops: { bucket: string; op: StoredOp }[]) {
  if (ops.length === 0) return;
  const rows = ops.map(({ bucket, op }) => ({
    b: bucket,
    i: op.opId,
    o: OP_CODES[op.op],
    t: op.objectType,
    n: op.objectId,
    s: op.subkey,
    d: op.data,
    c: op.checksum,
  }));
  await db.query(
    `INSERT INTO ${t.ops} (bucket, op_id, op, object_type, object_id, subkey, data, checksum)
     SELECT x.b, x.i, x.o, x.t, x.n, x.s, x.d, x.c
       FROM json_to_recordset($1::json) AS x(b text, i bigint, o smallint, t text, n text, s text, d text, c bigint)`,
    [JSON.stringify(rows)],
  );
}

export async function insertParameterEntries(db: Queryable, t: StorageTables, entries: ParameterEntry[]) {
  if (entries.length === 0) return;
  await db.query(
    `INSERT INTO ${t.parameterIndex} (lookup, source_table, source_key, op_id, bucket_parameters)
     SELECT x.l, x.t, x.k, x.i, x.p FROM json_to_recordset($1::json) AS x(l text, t text, k text, i bigint, p text)`,
    [
      JSON.stringify(
        entries.map((e) => ({ l: e.lookup, t: e.sourceTable, k: e.sourceKey, i: e.opId, p: e.parameters })),
      ),
    ],
  );
}

export async function upsertBucketStates(db: Queryable, t: StorageTables, states: Map<string, BucketState>) {
  if (states.size === 0) return;
  const rows = [...states].map(([bucket, s]) => ({
    b: bucket,
    c: s.checksum,
    n: s.count,
    i: s.lastOpId,
    r: s.lastRemovalOpId,
  }));
  await db.query(
    `INSERT INTO ${t.bucketState} (bucket, checksum, op_count, last_op_id, last_removal_op_id)
     SELECT x.b, x.c, x.n, x.i, x.r FROM json_to_recordset($1::json) AS x(b text, c bigint, n bigint, i bigint, r bigint)
     ON CONFLICT (bucket) DO UPDATE
       SET checksum = excluded.checksum, op_count = excluded.op_count, last_op_id = excluded.last_op_id,
           last_removal_op_id = excluded.last_removal_op_id`,
    [JSON.stringify(rows)],
  );
}
