import type { CheckpointBus } from '../storage/checkpoint-bus.ts';

/**
 * While replication is behind (more WAL already received and waiting), waiting streams are
 * woken at most every this many ms. Each wake-up makes every connected stream encode, compress
 * and send what changed: work that shares the process (and, on a small machine, the cores) with
 * replication. During a backlog every intermediate checkpoint is already stale, and a stream
 * skips to the latest one anyway, so waking streams for each of them only slows the catch-up
 * that brings clients to the present (issue 13: 20,000 rows in 1,000 transactions with 50
 * streams connected caught up at 1,300 rows/s instead of 3,300–9,000 with none).
 */
export const BEHIND_WAKE_MS = 5_000;

/**
 * Publishes each committed checkpoint on the bus at once (a checkpoint's op id must match the
 * bucket totals in memory, which the commit advanced), and decides whether it wakes the waiting
 * streams: at once when replication has handled everything it received (live traffic: no added
 * latency) or when a client waits for it (a write checkpoint's message); while behind, at most
 * every {@link BEHIND_WAKE_MS}, and when replication catches up ({@link flush}).
 */
export class CheckpointPacer {
  /** A publish whose wake-up is still due. */
  private due = false;
  /** When streams were last woken, or replication fell behind after being caught up. */
  private since = Number.NEGATIVE_INFINITY;
  private behind = false;

  constructor(
    private readonly bus: CheckpointBus,
    private readonly intervalMs = BEHIND_WAKE_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A committed checkpoint; `behind`: more of the source is already waiting to be handled. */
  offer(opId: number, lsn: bigint, changedLookups: ReadonlySet<string> | undefined, behind: boolean): void {
    if (behind && !this.behind) {
      // Clients have the state as of the moment replication fell behind: the interval starts now.
      this.behind = true;
      this.since = this.now();
    }
    if (!behind) this.behind = false;
    const wake = !behind || this.now() - this.since >= this.intervalMs;
    this.bus.publish(opId, lsn, changedLookups, wake);
    this.due = !wake;
    if (wake) this.since = this.now();
  }

  /** Replication has handled everything it received: streams wake for what was published. */
  flush(): void {
    this.behind = false;
    if (!this.due) return;
    this.due = false;
    this.since = this.now();
    this.bus.wakeAll();
  }
}
