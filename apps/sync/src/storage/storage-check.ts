import type pg from 'pg';
import type { StorageTables } from './storage-schema.ts';

export interface WritesBeyondCheckpoint {
  ops: number;
  lookups: number;
  /** The highest op id stored anywhere (ops or parameter lookups), at least the checkpoint. */
  maxOpId: number;
}

/**
 * Ops or parameter lookups stored with an op id above the state row's checkpoint. Every write
 * happens in the transaction that advances the state row, so there are none; a version of this
 * service before storage version 3 could leave some when it was stopped in the middle of a
 * write (they then collided with the next op ids, forever). Null when storage is consistent.
 *
 * Cheap on big storage: the buckets are walked along the ops' primary key (one index probe per
 * bucket), and parameter lookups have an index on their op id.
 */
export async function writesBeyondCheckpoint(
  db: pg.Pool,
  t: StorageTables,
  checkpoint: number,
): Promise<WritesBeyondCheckpoint | null> {
  const { rows } = await db.query<{ ops: string; max_op: string | null }>(
    `WITH RECURSIVE buckets AS (
       (SELECT bucket FROM ${t.ops} ORDER BY bucket LIMIT 1)
       UNION ALL
       SELECT (SELECT o.bucket FROM ${t.ops} o WHERE o.bucket > b.bucket ORDER BY o.bucket LIMIT 1)
         FROM buckets b WHERE b.bucket IS NOT NULL
     )
     SELECT coalesce(sum(beyond.n), 0) AS ops, max(last.op_id) AS max_op
       FROM buckets b
       CROSS JOIN LATERAL (SELECT max(op_id) AS op_id FROM ${t.ops} WHERE bucket = b.bucket) last
       CROSS JOIN LATERAL (SELECT count(*) AS n FROM ${t.ops} WHERE bucket = b.bucket AND op_id > $1) beyond
      WHERE b.bucket IS NOT NULL`,
    [checkpoint],
  );
  const { rows: lookupRows } = await db.query<{ lookups: string; max_lookup: string | null }>(
    `SELECT (SELECT count(*) FROM ${t.parameterIndex} WHERE op_id > $1) AS lookups,
            (SELECT max(op_id) FROM ${t.parameterIndex}) AS max_lookup`,
    [checkpoint],
  );
  const ops = Number(rows[0]?.ops ?? 0);
  const lookups = Number(lookupRows[0]?.lookups ?? 0);
  if (ops === 0 && lookups === 0) return null;
  const maxOpId = Math.max(checkpoint, Number(rows[0]?.max_op ?? 0), Number(lookupRows[0]?.max_lookup ?? 0));
  return { ops, lookups, maxOpId };
}
