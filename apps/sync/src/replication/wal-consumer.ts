import type pg from 'pg';
import { LogicalReplicationService } from 'pg-logical-replication';
import { formatLsn, parseLsn } from '../pg/lsn.ts';
import type { PgoutputMessage } from '../pg/pgoutput.ts';
import { PgoutputTextPlugin } from '../pg/pgoutput-plugin.ts';

export type WalItem = { kind: 'message'; message: PgoutputMessage } | { kind: 'keepalive'; lsn: bigint };

export interface WalConsumerOptions {
  config: pg.ClientConfig;
  publication: string;
  slot: string;
  startLsn: bigint | null;
  /** Handles one item at a time, in WAL order (changes and keepalives interleaved as received). */
  handle: (item: WalItem) => Promise<void>;
  /** Called when everything received has been handled. */
  idle: () => Promise<void>;
  onStart: () => void;
}

/** Pause reading from Postgres above this many unprocessed items; resume below the low mark. */
const HIGH_WATER = 5000;
const LOW_WATER = 1000;

/**
 * One logical replication connection (pg-logical-replication with our pgoutput plugin). Changes
 * and server keepalives go through one ordered queue, so a keepalive is handled only after the
 * changes received before it; the socket is paused while the queue is long. The LSN confirmed to
 * Postgres is only what the caller acknowledged (after its storage commit).
 */
export class WalConsumer {
  private readonly service: LogicalReplicationService;
  private readonly queue: WalItem[] = [];
  /** The drain loop while it runs: the item being handled finishes before {@link stop} returns. */
  private draining: Promise<void> | null = null;
  private paused = false;
  private failure: unknown = null;
  private confirmed: bigint;
  private stopped = false;

  constructor(private readonly options: WalConsumerOptions) {
    this.confirmed = options.startLsn ?? 0n;
    this.service = new LogicalReplicationService(options.config, {
      acknowledge: { auto: false, timeoutSeconds: 0 },
    });
  }

  /** Streams until the connection ends or {@link stop} is called; rejects with what broke it. */
  async run(): Promise<void> {
    const { service } = this;
    service.on('data', (_lsn: string, message: PgoutputMessage) => this.push({ kind: 'message', message }));
    service.on('heartbeat', (lsn: string, _time: number, reply: boolean) => {
      this.push({ kind: 'keepalive', lsn: parseLsn(lsn) });
      if (reply) void this.acknowledge(this.confirmed);
    });
    service.on('error', (error: Error) => this.fail(error));
    service.on('start', () => this.options.onStart());
    const standby = setInterval(() => void this.acknowledge(this.confirmed), 10_000);
    try {
      const from = this.options.startLsn === null ? '0/0' : formatLsn(this.options.startLsn);
      await service.subscribe(new PgoutputTextPlugin(this.options.publication), this.options.slot, from);
    } catch (error) {
      this.fail(error);
    } finally {
      clearInterval(standby);
      await this.stop();
    }
    if (this.failure !== null) throw this.failure;
  }

  /** Items received and not yet handled. */
  get backlog(): number {
    return this.queue.length;
  }

  /** {@link stop} was called (or the connection failed): nothing more may be committed. */
  get stopping(): boolean {
    return this.stopped;
  }

  /** Confirms to Postgres that everything up to `lsn` is stored (the slot may release that WAL). */
  async acknowledge(lsn: bigint): Promise<void> {
    if (lsn > this.confirmed) this.confirmed = lsn;
    if (this.stopped || this.confirmed === 0n) return;
    // The library reports `lsn + 1`; Postgres expects the LSN itself (a walsender shutting down
    // waits until the reported flush position equals what it sent), so hand it one less.
    await this.service.acknowledge(formatLsn(this.confirmed - 1n)).catch(() => {});
  }

  /**
   * Stops reading: nothing more is handled, and the item being handled (a storage write) has
   * settled when this returns, so the caller may roll back and release what it holds.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.length = 0;
    await this.service.stop().catch(() => {});
    await this.draining;
  }

  private fail(error: unknown): void {
    this.failure ??= error;
    void this.stop();
  }

  private push(item: WalItem): void {
    if (this.stopped) return;
    this.queue.push(item);
    if (!this.paused && this.queue.length > HIGH_WATER) this.setPaused(true);
    this.draining ??= this.drain().finally(() => {
      this.draining = null;
    });
  }

  private async drain(): Promise<void> {
    try {
      for (let item = this.queue.shift(); item && !this.stopped; item = this.queue.shift()) {
        await this.options.handle(item);
        if (this.paused && this.queue.length < LOW_WATER) this.setPaused(false);
        if (this.queue.length === 0 && !this.stopped) await this.options.idle();
      }
    } catch (error) {
      this.fail(error);
    }
  }

  /**
   * The library pauses the same socket for its own flow control; that mode cannot order
   * keepalives with changes, so this does it here, on the connection's stream.
   */
  private setPaused(paused: boolean): void {
    this.paused = paused;
    const internals = this.service as unknown as { _connection?: { stream?: { pause(): void; resume(): void } } };
    const stream = internals._connection?.stream;
    if (paused) stream?.pause();
    else stream?.resume();
  }
}
