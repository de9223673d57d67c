import { getTable, isTableName, ROLES, type Role, validateRowId } from '@cr/schema';
import { type Context, processFieldChange, RejectionCode, type Row, WorkingSet } from '@cr/strategies';
import type pg from 'pg';
import { withClient } from '../plugins/external/checkout.ts';
import { classifyPgError, describeDataError } from '../upload/pg-errors.ts';
import { addChanges, loadRows, type RowKey } from '../upload/row-store.ts';
import { WriteStatement } from '../upload/write-statement.ts';
import { NotifyListener } from './notify-listener.ts';

export interface WorkerStatus {
  running: boolean;
  lastRunAt: string | null;
  applied: number;
  failed: number;
  lastError: string | null;
}

interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

const BATCH = 100;

/**
 * Strategy 6's worker: applies pending field changes, or fails them with a reason. Its work lives
 * in Postgres (status = 'pending'), so it survives restarts: on start it drains what is pending.
 * It wakes when an upload queues a change (in process, and by NOTIFY for other API instances),
 * and sweeps on a timer as a safety net. Each batch is one transaction with the same row locks as
 * uploads, so a change and a direct edit of the same task never interleave.
 */
export class FieldChangeWorker {
  readonly status: WorkerStatus = { running: false, lastRunAt: null, applied: 0, failed: 0, lastError: null };
  #timer: NodeJS.Timeout | null = null;
  readonly #listener: NotifyListener;
  #draining: Promise<void> | null = null;
  #again = false;
  #stopped = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly log: Logger,
    private readonly options: { sweepMs: number; clock?: () => Date },
  ) {
    this.#listener = new NotifyListener(pool, 'field_changes', {
      onNotify: () => this.trigger(),
      onError: (error) => this.log.warn({ err: error }, 'field-change worker: LISTEN failed; retrying'),
      retryMs: options.sweepMs,
    });
  }

  async start(): Promise<void> {
    this.status.running = true;
    this.#timer = setInterval(() => this.trigger(), this.options.sweepMs);
    this.#timer.unref();
    await this.#listener.start();
    this.trigger();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.status.running = false;
    if (this.#timer) clearInterval(this.#timer);
    await this.#listener.close();
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

  /** Processes pending changes until none are left (or the database fails: retried on the next sweep). */
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

  #processBatch(): Promise<number> {
    return withClient(this.pool, (client) => this.#processBatchWith(client));
  }

  async #processBatchWith(client: pg.PoolClient): Promise<number> {
    try {
      await client.query('BEGIN');
      const { rows: candidates } = await client.query<{
        id: string;
        table_name: string;
        row_id: string;
        user_id: string;
      }>(
        `SELECT id, table_name, row_id, user_id FROM field_changes
          WHERE status = 'pending' ORDER BY created_at, id LIMIT ${BATCH}`,
      );
      if (candidates.length === 0) {
        await client.query('COMMIT');
        return 0;
      }
      const { rows: owners } = await client.query<{ id: string; role: Role }>(
        'SELECT id, role FROM users WHERE id = ANY($1::text[])',
        [[...new Set(candidates.map((c) => c.user_id))]],
      );
      const roles = new Map(owners.filter((o) => ROLES.includes(o.role)).map((o) => [o.id, o.role]));
      const now = (this.options.clock?.() ?? new Date()).toISOString();
      const outcome = { applied: 0, failed: 0 };
      await client.query('SAVEPOINT batch');
      try {
        await this.#apply(client, candidates, roles, now, outcome);
        await client.query('RELEASE SAVEPOINT batch');
      } catch (error) {
        if (classifyPgError(error) !== 'data') throw error;
        await client.query('ROLLBACK TO SAVEPOINT batch');
        outcome.applied = 0;
        outcome.failed = 0;
        for (const candidate of candidates) {
          await client.query('SAVEPOINT one');
          try {
            await this.#apply(client, [candidate], roles, now, outcome);
            await client.query('RELEASE SAVEPOINT one');
          } catch (inner) {
            if (classifyPgError(inner) !== 'data') throw inner;
            await client.query('ROLLBACK TO SAVEPOINT one');
            await markFailed(client, candidate.id, describeDataError(inner), now);
            outcome.failed += 1;
          }
        }
      }
      await client.query('COMMIT');
      this.status.applied += outcome.applied;
      this.status.failed += outcome.failed;
      this.log.info({ ...outcome }, 'field-change worker: processed pending changes');
      return candidates.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  }

  async #apply(
    client: pg.ClientBase,
    candidates: readonly { id: string; table_name: string; row_id: string }[],
    roles: ReadonlyMap<string, Role>,
    now: string,
    outcome: { applied: number; failed: number },
  ): Promise<void> {
    const set = new WorkingSet();
    const keys: RowKey[] = candidates.map((c) => ({ table: 'field_changes', id: c.id }));
    for (const c of candidates) {
      if (isTableName(c.table_name) && validateRowId(getTable(c.table_name), c.row_id).ok) {
        keys.push({ table: c.table_name, id: c.row_id });
      }
    }
    await loadRows(client, set, keys);
    for (const candidate of candidates) {
      const change = set.get('field_changes', candidate.id);
      if (change === null || change.status !== 'pending') continue; // changed since it was listed
      const table = candidate.table_name;
      const target: Row | null =
        isTableName(table) && set.has(table, candidate.row_id) ? set.get(table, candidate.row_id) : null;
      const owner = String(change.user_id);
      const role = roles.get(owner);
      const ctx: Context = { user: { id: owner, role: role ?? 'reviewer' }, now, clientId: 'field-change-worker' };
      const result = role
        ? processFieldChange(change, target, ctx)
        : failedResult(candidate.id, 'The author of this change no longer exists.', now, change);
      set.apply(result.writes);
      if (result.status === 'applied') outcome.applied += 1;
      else outcome.failed += 1;
    }
    const statement = new WriteStatement();
    addChanges(statement, set.changes());
    await statement.run(client);
  }
}

function failedResult(id: string, message: string, now: string, change: Row) {
  const attempts = (typeof change.attempts === 'number' ? change.attempts : 0) + 1;
  const set = {
    status: 'failed',
    error_code: RejectionCode.NotOwner,
    error_message: message,
    processed_at: now,
    updated_at: now,
    attempts,
  };
  return {
    status: 'failed' as const,
    writes: [{ table: 'field_changes' as const, id, effect: { kind: 'update' as const, set } }],
  };
}

async function markFailed(client: pg.ClientBase, id: string, message: string, now: string): Promise<void> {
  await client.query(
    `UPDATE field_changes SET status = 'failed', error_code = $2, error_message = $3,
            processed_at = $4, updated_at = $4, attempts = attempts + 1 WHERE id = $1`,
    [id, RejectionCode.ConstraintViolation, message, now],
  );
}
