import type pg from 'pg';
import type { StorageTables } from './storage-schema.ts';

/** A bucket's totals at the latest checkpoint: what a checkpoint line reports for it. */
export interface BucketState {
  /** Wrapping u32 sum of every op's checksum. */
  checksum: number;
  /** Ops stored (after compaction): what a client starting from zero downloads. */
  count: number;
  /** The bucket's highest op id: a client with `after` at or above it needs no data. */
  lastOpId: number;
  /** The op id of its latest REMOVE (0: none ever), for partial completions (see partial-completions.ts). */
  lastRemovalOpId: number;
}

export const EMPTY_BUCKET: BucketState = Object.freeze({ checksum: 0, count: 0, lastOpId: 0, lastRemovalOpId: 0 });

/**
 * Per-bucket checksums kept in memory, updated when a replicated transaction commits (together
 * with the checkpoint), persisted in `bucket_state` in the same storage transaction.
 */
export class BucketStates {
  private readonly states = new Map<string, BucketState>();

  get(bucket: string): BucketState {
    return this.states.get(bucket) ?? EMPTY_BUCKET;
  }

  set(bucket: string, state: BucketState): void {
    this.states.set(bucket, state);
  }

  get size(): number {
    return this.states.size;
  }

  clear(): void {
    this.states.clear();
  }

  async load(db: pg.Pool, t: StorageTables): Promise<void> {
    const { rows } = await db.query<{
      bucket: string;
      checksum: string;
      op_count: string;
      last_op_id: string;
      last_removal_op_id: string;
    }>(`SELECT bucket, checksum, op_count, last_op_id, last_removal_op_id FROM ${t.bucketState}`);
    this.states.clear();
    for (const row of rows) {
      this.states.set(row.bucket, {
        checksum: Number(row.checksum),
        count: Number(row.op_count),
        lastOpId: Number(row.last_op_id),
        lastRemovalOpId: Number(row.last_removal_op_id),
      });
    }
  }
}
