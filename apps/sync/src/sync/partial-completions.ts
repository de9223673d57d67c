import type { BucketChecksum } from '../protocol/lines.ts';
import type { EncodedOp } from '../storage/recent-ops.ts';

/**
 * Whether a `partial_checkpoint_complete` can be sent without letting the client show part of a
 * source transaction within a priority.
 *
 * The client core (powersync-sqlite-core 0.5.3, `sync_local.rs`) applies a partial completion by
 * re-reading the rows that have new PUTs in the buckets of that priority and above. A REMOVE or a
 * CLEAR only marks its rows (`ps_updated_rows`), and marked rows are applied at the next *full*
 * completion the client applies. A partial completion while a removal is pending would therefore
 * show a transaction's updates beside rows the same transaction deleted. It is sent only when no
 * removal can be pending on the client in a bucket of that priority or above:
 *
 * - a bucket the client downloads from zero has none until it is first completed (the client
 *   drops removals into a bucket it has never applied);
 * - a bucket the client already held when it connected may have one if the bucket ever had a
 *   REMOVE up to where the client is; buckets it holds that the checkpoint drops are deleted on
 *   the client, and their rows wait for a full completion too;
 * - a removal sent to a bucket that may have been applied stays pending until a full completion
 *   is applied. For priorities 1–3 that is known once the client cannot have been held back by
 *   uploads: the completion carried the newest write checkpoint of this client and no newer one
 *   was requested since (a client with pending uploads must ask for a new one before it applies
 *   anything). Priority 0 is applied even while uploads wait, so its removals are never known to
 *   be applied, and its partial completions stop for the rest of the connection.
 */
export class PartialCompletions {
  /** Priority → full completions sent before its latest possibly pending removal. */
  private readonly pending = new Map<number, number>();
  /** Buckets the client downloads from zero and has not been sent a completion for. */
  private readonly fresh = new Set<string>();
  private completions = 0;
  private last: { index: number; carried: bigint | null; newest: bigint | null } | null = null;

  /** `newestWriteCheckpoint`: the newest write checkpoint created for this client, right now. */
  constructor(private readonly newestWriteCheckpoint: () => bigint | null) {}

  /**
   * The connection's first checkpoint. `held`: bucket → op id the client has (its request);
   * `lastRemoval`: a bucket's latest REMOVE op id (0: none ever).
   */
  started(
    buckets: readonly BucketChecksum[],
    held: ReadonlyMap<string, number>,
    lastRemoval: (bucket: string) => number,
  ): void {
    const names = new Set(buckets.map((b) => b.bucket));
    for (const b of buckets) {
      const after = held.get(b.bucket);
      if (after === undefined) this.fresh.add(b.bucket);
      else if (lastRemoval(b.bucket) > 0 && lastRemoval(b.bucket) <= after) this.flag(b.priority);
    }
    for (const name of held.keys()) if (!names.has(name)) this.flag(0);
  }

  /** A later checkpoint added buckets (new to the client) and removed others (deleted there). */
  changed(added: readonly string[], removed: readonly string[]): void {
    for (const name of added) this.fresh.add(name);
    if (removed.length > 0) this.flag(0);
  }

  /** Ops sent for one bucket. */
  sent(bucket: BucketChecksum, ops: readonly EncodedOp[]): void {
    if (this.fresh.has(bucket.bucket)) return;
    if (ops.some((op) => op.op === 'REMOVE' || op.op === 'CLEAR')) this.flag(bucket.priority);
  }

  /** Whether the data of `priority` and above may be completed now, ahead of the rest. */
  mayComplete(priority: number): boolean {
    for (const [flagged, before] of this.pending) {
      if (flagged > priority) continue;
      const covered = priority > 0 && this.last !== null && before < this.last.index && this.lastWasApplied();
      if (!covered) return false;
    }
    return true;
  }

  /** A partial completion of `priority` was sent: its buckets are no longer downloaded from zero. */
  completedPartially(buckets: readonly BucketChecksum[], priority: number): void {
    for (const b of buckets) if (b.priority <= priority) this.fresh.delete(b.bucket);
  }

  /** A `checkpoint_complete` carrying `writeCheckpoint` was sent. */
  completed(writeCheckpoint: bigint | null): void {
    this.completions += 1;
    this.fresh.clear();
    this.last = { index: this.completions, carried: writeCheckpoint, newest: this.newestWriteCheckpoint() };
  }

  private lastWasApplied(): boolean {
    const last = this.last;
    return last !== null && last.carried === last.newest && this.newestWriteCheckpoint() === last.newest;
  }

  private flag(priority: number): void {
    this.pending.set(priority, this.completions);
  }
}
