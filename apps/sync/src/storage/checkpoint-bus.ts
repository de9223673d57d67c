/**
 * Fan-out of checkpoints to every open sync stream. A checkpoint is (op id, source LSN): every
 * op with an id at or below `opId` is stored, and the source is replicated up to `lsn`. Streams
 * wait on {@link CheckpointBus.next}; one publish wakes them all at once.
 */
export interface Checkpoint {
  /** Increases with every publish, also when only the LSN moved. */
  seq: number;
  opId: number;
  lsn: bigint;
}

const HISTORY = 1000;

export class CheckpointBus {
  private current: Checkpoint | null = null;
  private seq = 0;
  private waiters: (() => void)[] = [];
  /** Parameter lookups changed by recent checkpoints, oldest first. */
  private history: { seq: number; lookups: ReadonlySet<string> }[] = [];
  private closed = false;

  get latest(): Checkpoint | null {
    return this.current;
  }

  /**
   * The new latest checkpoint. `wake` false: streams waiting in {@link next} stay asleep until a
   * later publish or {@link wakeAll} (replication behind: see replication/checkpoint-pacer.ts); a
   * stream that is busy still takes this one when it looks next. It must be published all the
   * same, at once: streams read bucket totals from memory, which the commit already advanced,
   * and a checkpoint's op id has to match them.
   */
  publish(opId: number, lsn: bigint, changedLookups: ReadonlySet<string> = new Set(), wake = true): Checkpoint {
    this.seq += 1;
    const seq = this.seq;
    this.current = { seq, opId, lsn };
    if (changedLookups.size > 0) {
      this.history.push({ seq, lookups: changedLookups });
      if (this.history.length > HISTORY) this.history.splice(0, this.history.length - HISTORY);
    }
    if (wake) this.wake();
    return this.current;
  }

  /** Wakes the streams waiting for a checkpoint (after publishes that did not). */
  wakeAll(): void {
    this.wake();
  }

  /**
   * Whether any of `lookups` changed in a checkpoint after `seq`. When the history no longer
   * reaches back that far, the answer is a safe "yes".
   */
  lookupsChangedSince(seq: number, lookups: ReadonlySet<string>): boolean {
    if (lookups.size === 0) return false;
    const oldest = this.history[0];
    if (this.history.length >= HISTORY && oldest && oldest.seq > seq + 1) return true;
    for (let i = this.history.length - 1; i >= 0; i--) {
      const entry = this.history[i];
      if (!entry || entry.seq <= seq) break;
      for (const lookup of entry.lookups) if (lookups.has(lookup)) return true;
    }
    return false;
  }

  /** Resolves at the next publish (or when the bus closes or `signal` aborts). */
  next(signal?: AbortSignal): Promise<void> {
    if (this.closed || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        signal?.removeEventListener('abort', done);
        resolve();
      };
      this.waiters.push(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /** Forgets the current checkpoint (storage was reset for a new snapshot). */
  reset(): void {
    this.current = null;
    this.history = [];
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
