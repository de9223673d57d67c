import { addChecksums, deployChecksum } from '../protocol/checksum.ts';
import type { BucketState } from '../storage/bucket-states.ts';
import { CachedOp, type EncodedOp } from '../storage/recent-ops.ts';

/**
 * Every bucket this service serves starts with a CLEAR (op id 0) whose checksum is derived from
 * the deploy and the bucket, so its checksum differs from the same bucket's on any other deploy
 * or service. That term is added here, when the stream is built, and nothing of it is stored.
 *
 * Why: the client supersedes an op only on an identical `type/id/subkey` and validates a bucket
 * by its checksum alone. Subkeys name the source table by a per-deploy uuid, and PUT checksums
 * are the official formula, so a client that synced a bucket elsewhere (the official service,
 * another deploy of this one) could validate here when both histories sum the same (e.g. insert
 * only) and then skip every REMOVE of ours: the deleted row would stay, silently. With the term
 * its first checkpoint here fails validation; the client (powersync-sqlite-core
 * `storage_adapter.rs` `sync_local`) deletes the bucket's oplog, marks its rows for removal and
 * reconnects without the bucket, downloads it from op 0 (this CLEAR first) and drops every row
 * no bucket holds any more.
 *
 * - The checkpoint reports `checksum + term` and `count + 1` (the CLEAR is an op of the bucket).
 * - A client starting a bucket (`after` 0) receives the CLEAR before the bucket's ops, also when
 *   the bucket has none.
 * - A stored CLEAR (compaction) resets the client's checksum to its own: it is sent with the
 *   term added, as it replaces this leading CLEAR too.
 */
export class DeployClear {
  private readonly terms = new Map<string, number>();

  constructor(readonly deploy: string) {}

  /** The checksum of the bucket's leading CLEAR. */
  term(bucket: string): number {
    let term = this.terms.get(bucket);
    if (term === undefined) {
      term = deployChecksum(this.deploy, bucket);
      this.terms.set(bucket, term);
    }
    return term;
  }

  /** What the checkpoint reports for a bucket whose stored ops are summed up in `state`. */
  checkpointState(bucket: string, state: BucketState): { checksum: number; count: number } {
    return { checksum: addChecksums(state.checksum, this.term(bucket)), count: state.count + 1 };
  }

  /** The CLEAR a client starting the bucket receives first. */
  leadingClear(bucket: string): EncodedOp {
    return new CachedOp({
      opId: 0,
      op: 'CLEAR',
      objectType: null,
      objectId: null,
      subkey: null,
      data: null,
      checksum: this.term(bucket),
    });
  }

  /** The ops to send for a bucket: stored CLEARs with the term added, and the leading CLEAR if `fresh`. */
  ops(bucket: string, ops: readonly EncodedOp[], fresh: boolean): EncodedOp[] {
    const sent = ops.map((op) => (op.op === 'CLEAR' ? this.storedClear(bucket, op) : op));
    return fresh ? [this.leadingClear(bucket), ...sent] : sent;
  }

  private storedClear(bucket: string, op: EncodedOp): EncodedOp {
    // Stored ops come from OpReader as CachedOp; anything else cannot be re-encoded here.
    if (!(op instanceof CachedOp)) throw new Error(`CLEAR op ${op.opId} of ${bucket} is not a stored op`);
    return op.withChecksumAdded(this.term(bucket));
  }
}
