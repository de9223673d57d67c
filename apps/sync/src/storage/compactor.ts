import type pg from 'pg';
import type { Logger } from '../log.ts';
import type { BucketStates } from './bucket-states.ts';
import { type CompactableOp, compactedUpTo, planCompaction } from './compaction-plan.ts';
import type { Mutex } from './mutex.ts';
import type { RecentOps } from './recent-ops.ts';
import type { StorageTables } from './storage-schema.ts';
import { OP_CODES, OP_TYPES } from './storage-writes.ts';

export interface CompactionResult {
  buckets: number;
  movedOps: number;
  clearedOps: number;
  /** Parameter lookup entries superseded by newer ones, or removals nobody needs any more. */
  prunedLookups?: number;
}

/**
 * Shrinks bucket oplogs with MOVE and CLEAR (see compaction-plan.ts). Bucket checksums do not
 * change, so connected clients notice nothing; new clients download less. Runs under the
 * storage write lock, one bucket at a time, so replication waits at most one bucket's work.
 */
export class Compactor {
  /** Per bucket, the last op id compaction has seen: unchanged buckets are skipped. */
  private readonly compactedUpTo = new Map<string, number>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly t: StorageTables,
    private readonly states: BucketStates,
    private readonly recent: RecentOps,
    private readonly writeLock: Mutex,
    private readonly logger: Logger,
  ) {}

  /** Compacts every bucket that has new ops since it was last compacted, then the parameter index. */
  async compactAll(): Promise<CompactionResult> {
    const { rows } = await this.pool.query<{ bucket: string }>(
      `SELECT bucket FROM ${this.t.bucketState} ORDER BY bucket`,
    );
    const total: CompactionResult = { buckets: 0, movedOps: 0, clearedOps: 0 };
    for (const { bucket } of rows) {
      const lastOpId = this.states.get(bucket).lastOpId;
      if ((this.compactedUpTo.get(bucket) ?? 0) >= lastOpId) continue;
      const result = await this.compactBucket(bucket);
      this.compactedUpTo.set(bucket, lastOpId);
      if (result.movedOps + result.clearedOps === 0) continue;
      total.buckets += 1;
      total.movedOps += result.movedOps;
      total.clearedOps += result.clearedOps;
    }
    total.prunedLookups = await this.pruneParameterIndex();
    if (total.buckets > 0 || total.prunedLookups > 0) {
      this.logger.info(
        `compacted ${total.buckets} bucket(s): ${total.movedOps} op(s) moved, ${total.clearedOps} cleared; ` +
          `${total.prunedLookups} parameter lookup entries pruned`,
      );
    }
    return total;
  }

  /**
   * Parameter lookups are versioned by op id so that a checkpoint reads them as of itself. Versions
   * superseded at or before the latest checkpoint are no longer read (a stream still resolving an
   * older checkpoint resolves again, since the lookup changed), nor are removals with nothing before.
   */
  async pruneParameterIndex(): Promise<number> {
    return this.writeLock.run(async () => {
      const p = this.t.parameterIndex;
      const { rows } = await this.pool.query<{ last_op_id: string }>(`SELECT last_op_id FROM ${this.t.state}`);
      const checkpoint = rows[0]?.last_op_id ?? '0';
      const superseded = await this.pool.query(
        `DELETE FROM ${p} old USING ${p} newer
          WHERE newer.lookup = old.lookup AND newer.source_table = old.source_table
            AND newer.source_key = old.source_key AND newer.op_id > old.op_id AND newer.op_id <= $1`,
        [checkpoint],
      );
      const removals = await this.pool.query(`DELETE FROM ${p} WHERE bucket_parameters = '[]' AND op_id <= $1`, [
        checkpoint,
      ]);
      return (superseded.rowCount ?? 0) + (removals.rowCount ?? 0);
    });
  }

  async compactBucket(bucket: string): Promise<CompactionResult> {
    return this.writeLock.run(async () => {
      const client = await this.pool.connect();
      // A lost connection is also an 'error' event; the statement in flight fails with it.
      const ignore = () => {};
      client.on('error', ignore);
      try {
        await client.query('BEGIN');
        const { rows } = await client.query<{
          op_id: string;
          op: number;
          object_type: string | null;
          object_id: string | null;
          subkey: string | null;
          checksum: string;
        }>(
          `SELECT op_id, op, object_type, object_id, subkey, checksum FROM ${this.t.ops}
            WHERE bucket = $1 ORDER BY op_id`,
          [bucket],
        );
        const ops: CompactableOp[] = rows.map((row) => ({
          opId: Number(row.op_id),
          op: OP_TYPES[row.op] ?? 'PUT',
          rowKey: row.object_type === null ? null : `${row.object_type}/${row.object_id}/${row.subkey}`,
          checksum: Number(row.checksum),
        }));
        const plan = planCompaction(ops);
        if (plan.clear) {
          await client.query(`DELETE FROM ${this.t.ops} WHERE bucket = $1 AND op_id <= $2`, [bucket, plan.clear.opId]);
          await client.query(`INSERT INTO ${this.t.ops} (bucket, op_id, op, checksum) VALUES ($1, $2, $3, $4)`, [
            bucket,
            plan.clear.opId,
            OP_CODES.CLEAR,
            plan.clear.checksum,
          ]);
        }
        if (plan.moves.length > 0) {
          await client.query(
            `UPDATE ${this.t.ops} SET op = $3, object_type = NULL, object_id = NULL, subkey = NULL, data = NULL
              WHERE bucket = $1 AND op_id = ANY ($2::bigint[])`,
            [bucket, plan.moves, OP_CODES.MOVE],
          );
        }
        const count = ops.length - (plan.clear ? plan.clear.replaced - 1 : 0);
        if (plan.clear) {
          await client.query(`UPDATE ${this.t.bucketState} SET op_count = $2 WHERE bucket = $1`, [bucket, count]);
        }
        await client.query('COMMIT');
        if (plan.clear) this.states.set(bucket, { ...this.states.get(bucket), count });
        const upTo = compactedUpTo(plan);
        if (upTo > 0) this.recent.compacted(bucket, upTo);
        return {
          buckets: plan.clear || plan.moves.length > 0 ? 1 : 0,
          movedOps: plan.moves.length,
          clearedOps: plan.clear ? plan.clear.replaced : 0,
        };
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.off('error', ignore);
        client.release();
      }
    });
  }
}
