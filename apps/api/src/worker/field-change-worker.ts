import { policy, ROLES, type Role } from '@cr/demo-domain';
import { processFieldChange } from '@cr/strategies';
import type pg from 'pg';
import { withClient } from '../plugins/external/checkout.ts';
import { applyBatch, type ProcessChange } from './apply-batch.ts';
import { type ClaimLimits, claimBatch } from './claim.ts';
import { NotifyListener } from './notify-listener.ts';

export interface WorkerStatus {
  running: boolean;
  lastRunAt: string | null;
  applied: number;
  failed: number;
  /** Why the last run stopped early (the database, a deployment fault); null when it finished. */
  lastError: string | null;
}

interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface WorkerOptions {
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
    private readonly log: Logger,
    private readonly options: WorkerOptions,
  ) {}

  async start(): Promise<void> {
    this.#stopped = false;
    this.status.running = true;
    this.#timer = setInterval(() => this.trigger(), this.options.sweepMs);
    this.#timer.unref();
    // A listener per run: one that was closed does not listen again.
    this.#listener = new NotifyListener(this.pool, 'field_changes', {
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
        const { changes, set } = await claimBatch(client, this.options.limits ?? DEFAULT_LIMITS);
        if (changes.length === 0) {
          await client.query('COMMIT');
          return 0;
        }
        await this.options.afterClaim?.();
        const roles = await authorRoles(
          client,
          changes.map((c) => String(c.user_id)),
        );
        const now = (this.options.clock?.() ?? new Date()).toISOString();
        const outcome = await applyBatch(
          client,
          changes,
          set,
          roles,
          now,
          this.options.process ?? ((change, target, ctx) => processFieldChange(policy, change, target, ctx)),
        );
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

/** The role of each change's author, from the users table (never from the change). */
async function authorRoles(client: pg.ClientBase, ids: string[]): Promise<Map<string, Role>> {
  const { rows } = await client.query<{ id: string; role: Role }>(
    'SELECT id, role FROM users WHERE id = ANY($1::text[])',
    [[...new Set(ids)]],
  );
  return new Map(rows.filter((o) => ROLES.includes(o.role)).map((o) => [o.id, o.role]));
}
