import { type Actor, processFieldChange } from '@cr/strategies';
import type pg from 'pg';
import type { Engine } from '../apply/engine.ts';
import { withClient } from '../db/checkout.ts';
import { applyBatch, type ProcessChange } from './apply-batch.ts';
import { type ClaimLimits, claimBatch } from './claim.ts';
import { FIELD_CHANGES_CHANNEL, NotifyListener } from './notify-listener.ts';

export interface WorkerStatus {
  running: boolean;
  lastRunAt: string | null;
  applied: number;
  failed: number;
  /** Why the last run stopped early (the database, a deployment fault); null when it finished. */
  lastError: string | null;
}

export interface WorkerLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/**
 * Who the authors of changes are now (by user id), from the app's own users, never from the
 * change: a change is judged with its author's current role. An id it does not return is failed
 * ("the author of this change no longer exists").
 */
export type ResolveAuthors = (client: pg.ClientBase, userIds: readonly string[]) => Promise<ReadonlyMap<string, Actor>>;

export interface WorkerOptions {
  engine: Engine;
  resolveAuthors: ResolveAuthors;
  sweepMs: number;
  clock?: () => Date;
  limits?: ClaimLimits;
  /** How one change is judged (the strategy; tests wrap it to inject failures). */
  process?: ProcessChange;
  /** Runs after a batch is claimed and before it is applied (tests hold a batch open with it). */
  afterClaim?: () => Promise<void>;
}

const DEFAULT_LIMITS: ClaimLimits = { targets: 50, changes: 200 };

/**
 * Strategy 6's worker: applies pending field changes, or fails them with a reason. Its work lives
 * in Postgres (status = 'pending'), so it survives restarts: on start it drains what is pending.
 * It wakes when an upload queues a change (in process, and by NOTIFY for other API instances),
 * and sweeps on a timer as a safety net. Any number of API instances may run it at once: each
 * batch claims its target rows with SKIP LOCKED (claim.ts), so no change is applied twice and no
 * worker waits for another. One change never holds up the others (apply-batch.ts).
 */
export class FieldChangeWorker {
  readonly status: WorkerStatus = { running: false, lastRunAt: null, applied: 0, failed: 0, lastError: null };
  #timer: NodeJS.Timeout | null = null;
  #listener: NotifyListener | null = null;
  #draining: Promise<void> | null = null;
  #again = false;
  #stopped = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly log: WorkerLogger,
    private readonly options: WorkerOptions,
  ) {}

  async start(): Promise<void> {
    this.#stopped = false;
    this.status.running = true;
    this.#timer = setInterval(() => this.trigger(), this.options.sweepMs);
    this.#timer.unref();
    // A listener per run: one that was closed does not listen again.
    this.#listener = new NotifyListener(this.pool, FIELD_CHANGES_CHANNEL, {
      onNotify: () => this.trigger(),
      onError: (error) => this.log.warn({ err: error }, 'field-change worker: LISTEN failed; retrying'),
      retryMs: this.options.sweepMs,
    });
    await this.#listener.start();
    this.trigger();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.status.running = false;
    if (this.#timer) clearInterval(this.#timer);
    await this.#listener?.close();
    this.#listener = null;
    await this.#draining;
  }

  /**
   * The queue as health checks see it: how many changes are pending and how long the oldest has
   * waited, ms (`updated_at` is when a change became pending; a retry sets it again).
   */
  async backlog(
    now: Date = this.options.clock?.() ?? new Date(),
  ): Promise<{ pending: number; oldestMs: number | null }> {
    const { rows } = await this.pool.query<{ n: number; since: string | null }>(
      `SELECT count(*)::int AS n, to_json(min(updated_at)) #>> '{}' AS since FROM field_changes WHERE status = 'pending'`,
    );
    const since = rows[0]?.since ? Date.parse(rows[0].since) : Number.NaN;
    return { pending: rows[0]?.n ?? 0, oldestMs: Number.isNaN(since) ? null : Math.max(0, now.getTime() - since) };
  }

  /** Asks for a drain; coalesces requests that arrive while one is running. */
  trigger(): void {
    if (this.#stopped || !this.status.running) return;
    if (this.#draining) {
      this.#again = true;
      return;
    }
    this.#draining = this.drain().finally(() => {
      this.#draining = null;
      if (this.#again && !this.#stopped) {
        this.#again = false;
        this.trigger();
      }
    });
  }

  /** Processes pending changes until none it can take are left (or a fault: retried next time). */
  async drain(): Promise<void> {
    try {
      while (!this.#stopped && (await this.#processBatch()) > 0) {}
      this.status.lastError = null;
    } catch (error) {
      this.status.lastError = (error as Error).message;
      this.log.warn({ err: error }, 'field-change worker: batch failed; will retry');
    } finally {
      this.status.lastRunAt = (this.options.clock?.() ?? new Date()).toISOString();
    }
  }

  /** One batch in one transaction; returns how many changes it settled. */
  #processBatch(): Promise<number> {
    return withClient(this.pool, async (client) => {
      await client.query('BEGIN');
      try {
        const { engine } = this.options;
        const { changes, set } = await claimBatch(client, engine, this.options.limits ?? DEFAULT_LIMITS);
        if (changes.length === 0) {
          await client.query('COMMIT');
          return 0;
        }
        await this.options.afterClaim?.();
        const authors = await this.options.resolveAuthors(client, [...new Set(changes.map((c) => String(c.user_id)))]);
        const now = (this.options.clock?.() ?? new Date()).toISOString();
        const process: ProcessChange =
          this.options.process ?? ((change, target, ctx) => processFieldChange(engine.policy, change, target, ctx));
        const outcome = await applyBatch(client, engine, changes, set, authors, now, process);
        await client.query('COMMIT');
        this.status.applied += outcome.applied;
        this.status.failed += outcome.failed;
        this.log.info({ ...outcome }, 'field-change worker: processed pending changes');
        return changes.length;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      }
    });
  }
}
