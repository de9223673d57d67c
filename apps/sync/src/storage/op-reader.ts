import type pg from 'pg';
import { CachedOp, type EncodedOp, type RecentOps } from './recent-ops.ts';
import type { StorageTables } from './storage-schema.ts';
import { OP_TYPES } from './storage-writes.ts';

export interface BucketRange {
  bucket: string;
  /** Exclusive lower bound: the op id the client has. */
  after: number;
}

export interface BucketBatch {
  bucket: string;
  ops: EncodedOp[];
  /** More ops remain in (last op, upTo]. */
  hasMore: boolean;
}

interface OpRow {
  bucket: string;
  op_id: string;
  op: number;
  object_type: string | null;
  object_id: string | null;
  subkey: string | null;
  data: string | null;
  checksum: string;
}

/**
 * Reads bucket data for a checkpoint: ops in (after, upTo] per bucket, in op id order. Recent
 * ops come from memory; older ones from storage, many buckets per round trip.
 */
export class OpReader {
  constructor(
    private readonly db: pg.Pool,
    private readonly t: StorageTables,
    private readonly recent: RecentOps,
  ) {}

  /** Up to `limit` ops for each range (all from memory when it covers the range). */
  async read(ranges: readonly BucketRange[], upTo: number, limit: number, rawData: boolean): Promise<BucketBatch[]> {
    const batches: BucketBatch[] = [];
    const fromStorage: BucketRange[] = [];
    for (const range of ranges) {
      const cached = rawData ? this.recent.read(range.bucket, range.after, upTo) : null;
      if (cached === null) fromStorage.push(range);
      else batches.push({ bucket: range.bucket, ops: cached, hasMore: false });
    }
    if (fromStorage.length > 0) batches.push(...(await this.readStorage(fromStorage, upTo, limit, rawData)));
    return batches;
  }

  private async readStorage(ranges: BucketRange[], upTo: number, limit: number, rawData: boolean) {
    const { rows } = await this.db.query<OpRow>(
      `SELECT r.bucket, o.op_id, o.op, o.object_type, o.object_id, o.subkey, o.data, o.checksum
         FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS r(bucket, after, n)
         CROSS JOIN LATERAL (
           SELECT op_id, op, object_type, object_id, subkey, data, checksum FROM ${this.t.ops}
            WHERE bucket = r.bucket AND op_id > r.after AND op_id <= $3
            ORDER BY op_id LIMIT $4
         ) o
        ORDER BY r.n, o.op_id`,
      [ranges.map((r) => r.bucket), ranges.map((r) => r.after), upTo, limit + 1],
    );
    const byBucket = new Map<string, EncodedOp[]>(ranges.map((r) => [r.bucket, []]));
    for (const row of rows) {
      const opId = Number(row.op_id);
      const op = OP_TYPES[row.op] ?? 'PUT';
      const stored = {
        opId,
        op,
        objectType: row.object_type,
        objectId: row.object_id,
        subkey: row.subkey,
        data: row.data,
        checksum: Number(row.checksum),
      };
      byBucket.get(row.bucket)?.push(new CachedOp(stored, rawData));
    }
    return ranges.map((range): BucketBatch => {
      const ops = byBucket.get(range.bucket) ?? [];
      const hasMore = ops.length > limit;
      return { bucket: range.bucket, ops: hasMore ? ops.slice(0, limit) : ops, hasMore };
    });
  }
}
