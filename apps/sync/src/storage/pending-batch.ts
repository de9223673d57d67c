import { addChecksums } from '../protocol/checksum.ts';
import type { StoredOp } from '../protocol/lines.ts';
import type { NewOp } from './bucket-ops.ts';
import type { BucketState, BucketStates } from './bucket-states.ts';
import type { ParameterEntry } from './storage-writes.ts';

export type BucketOp = { bucket: string; op: StoredOp };

/**
 * What one storage transaction is about to change: ops with fresh ids, the new totals of the
 * buckets they go to, parameter lookup entries. Nothing here is visible until the commit.
 */
export class PendingBatch {
  /** Bucket totals after this batch, for the buckets it touches. */
  readonly states = new Map<string, BucketState>();
  /** Every op of the batch, in order (for the recent-ops cache after the commit). */
  readonly allOps: BucketOp[] = [];
  readonly changedLookups = new Set<string>();
  /** Not yet written to storage. */
  private ops: BucketOp[] = [];
  private params: ParameterEntry[] = [];

  constructor(
    private readonly committed: BucketStates,
    public lastOpId: number,
  ) {}

  addOp(bucket: string, op: NewOp): void {
    this.lastOpId += 1;
    const stored: StoredOp = { ...op, opId: this.lastOpId };
    const previous = this.states.get(bucket) ?? this.committed.get(bucket);
    this.states.set(bucket, {
      checksum: addChecksums(previous.checksum, stored.checksum),
      count: previous.count + 1,
      lastOpId: stored.opId,
      lastRemovalOpId: stored.op === 'REMOVE' ? stored.opId : previous.lastRemovalOpId,
    });
    this.ops.push({ bucket, op: stored });
    this.allOps.push({ bucket, op: stored });
  }

  /** A parameter row's lookup changed; it gets an op id so that checkpoints can see it or not. */
  addLookup(lookup: string, sourceTable: string, sourceKey: string, parameters: string): void {
    this.lastOpId += 1;
    this.params.push({ lookup, sourceTable, sourceKey, opId: this.lastOpId, parameters });
    this.changedLookups.add(lookup);
  }

  /** The ops and lookup entries added since the last call, to write now. */
  take(): { ops: BucketOp[]; params: ParameterEntry[] } {
    const taken = { ops: this.ops, params: this.params };
    this.ops = [];
    this.params = [];
    return taken;
  }
}
