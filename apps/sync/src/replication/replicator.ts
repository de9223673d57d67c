import type { HydratedSyncConfig } from '@powersync/service-sync-rules';
import type pg from 'pg';
import type { Logger } from '../log.ts';
import { sourceConfig } from '../pg/connection.ts';
import { formatBytes, formatLsn, parseLsn } from '../pg/lsn.ts';
import type { SyncRules } from '../rules/sync-rules.ts';
import type { CommitResult, WriterDeps } from '../storage/batch-writer.ts';
import type { CheckpointBus } from '../storage/checkpoint-bus.ts';
import { KEEPALIVE_SQL } from '../storage/write-checkpoints.ts';
import { CheckpointPacer } from './checkpoint-pacer.ts';
import { type Prepared, prepareReplication } from './prepare.ts';
import { REPLICATION_APP_NAME, ruleTableNames } from './source-check.ts';
import type { SourceProblem } from './source-problems.ts';
import { SourceSetup } from './source-setup.ts';
import { WalConsumer } from './wal-consumer.ts';
import { WalStreamHandler } from './wal-stream.ts';

export interface ReplicatorOptions {
  databaseUrl: string;
  publication: string;
  rules: SyncRules;
  pool: pg.Pool;
  writerDeps: Omit<WriterDeps, 'evaluator'>;
  bus: CheckpointBus;
  logger: Logger;
  /** Called once the rules are hydrated for the deploy being served (bucket names depend on it). */
  /** The hydrated rules and the deploy's name (its slot) once storage is prepared. */
  onRulesReady: (rules: HydratedSyncConfig, deploy: string) => void;
  /** How often to report lag in the log (and confirm the slot position to Postgres). */
  statusIntervalMs?: number;
}

export interface ReplicationStatus {
  phase: 'starting' | 'snapshot' | 'streaming' | 'retrying' | 'stopped';
  slot: string | null;
  lastLsn: string | null;
  consistent: boolean;
  lastError: string | null;
  /** Row changes replicated since the service started (inserts, updates, deletes). */
  rowChanges: number;
}

const MAX_BACKOFF_MS = 10_000;
/** Retry period while Postgres is not set up for replication: a fix is picked up this soon. */
const SETUP_RETRY_MS = 2_000;
/** WAL bytes behind (our own storage writes count too) that make an idle status line worth it. */
const LAG_WORTH_REPORTING = 16n * 1024n * 1024n;

/**
 * Logical replication from Postgres into bucket storage, for the life of the service: prepare
 * (resume or snapshot), stream, and after any failure (Postgres restarted, connection lost) wait
 * and do it again from the last committed position.
 */
export class Replicator {
  readonly status: ReplicationStatus = {
    phase: 'starting',
    slot: null,
    lastLsn: null,
    consistent: false,
    lastError: null,
    rowChanges: 0,
  };
  private readonly abort = new AbortController();
  private running: Promise<void> | null = null;
  private consumer: WalConsumer | null = null;
  private reportedCheckpoint = -1;
  private readonly setup: SourceSetup;

  constructor(private readonly options: ReplicatorOptions) {
    const tables = () => ruleTableNames(options.rules);
    const check = { publication: options.publication, storageSchema: options.writerDeps.tables.schema, tables };
    this.setup = new SourceSetup(options.pool, check, options.logger);
  }

  /** What an operator must fix in Postgres before replication can run (empty when nothing). */
  get problems(): readonly SourceProblem[] {
    return this.setup.problems;
  }

  /** Replication has streamed since the service started, and nothing known stops it now. */
  get ready(): boolean {
    return this.setup.ready;
  }

  start(): void {
    this.running ??= this.loop();
  }

  /**
   * An ordered stop: no new change is taken, the one being handled finishes (its statements run
   * inside its storage transaction), then the session rolls that transaction back and only then
   * releases its connection (`BatchWriter.rollback`). Nothing uncommitted reaches storage.
   */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.consumer?.stop();
    await this.running;
    this.status.phase = 'stopped';
  }

  private async loop(): Promise<void> {
    const { logger } = this.options;
    let backoff = 500;
    while (!this.abort.signal.aborted) {
      const started = Date.now();
      try {
        await this.session();
      } catch (error) {
        if (this.abort.signal.aborted) break;
        this.status.phase = 'retrying';
        this.status.lastError = error instanceof Error ? error.message : String(error);
        if (this.setup.blocked(error)) {
          await this.pause(SETUP_RETRY_MS);
          continue;
        }
        if (Date.now() - started > 30_000) backoff = 500;
        logger.warn(`replication stopped; retrying in ${(backoff / 1000).toFixed(1)} s`, error);
        await this.pause(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.abort.signal.addEventListener('abort', () => resolve(clearTimeout(timer)), { once: true });
    });
  }

  private async session(): Promise<void> {
    const { options } = this;
    this.status.phase = 'starting';
    await this.setup.assertReady();
    const prepared = await prepareReplication({
      databaseUrl: options.databaseUrl,
      publication: options.publication,
      rules: options.rules,
      pool: options.pool,
      writerDeps: options.writerDeps,
      logger: options.logger,
      signal: this.abort.signal,
      onSnapshot: () => {
        this.status.phase = 'snapshot';
      },
    });
    const { state, hydrated } = prepared;
    options.onRulesReady(hydrated, state.slotName);
    this.status.slot = state.slotName;
    this.status.consistent = state.consistent;
    if (state.consistent && state.lastLsn !== null) options.bus.publish(state.lastOpId, state.lastLsn);
    try {
      await this.stream(prepared);
    } finally {
      await prepared.writer.rollback();
    }
  }

  private async stream({ state, hydrated, writer }: Prepared): Promise<void> {
    const { options } = this;
    const { logger, bus, pool } = options;
    let confirmed = state.lastLsn ?? 0n;
    let consistent = state.consistent;

    const pacer = new CheckpointPacer(bus);
    const onProgress = async (lsn: bigint, result: CommitResult | null, awaited = false) => {
      if (!consistent && state.snapshotLsn !== null && lsn >= state.snapshotLsn) {
        consistent = true;
        this.status.consistent = true;
        await pool.query(`UPDATE ${options.writerDeps.tables.state} SET consistent = true`);
        logger.info(`replication reached the snapshot at ${formatLsn(lsn)}: serving checkpoints`);
      }
      // Published at once; waking the streams may wait while more of a backlog is queued.
      if (consistent) pacer.offer(writer.lastOpId, lsn, result?.changedLookups, consumer.backlog > 0 && !awaited);
      if (result && result.opsWritten > 0) {
        logger.debug(`committed ${result.opsWritten} op(s) at ${formatLsn(lsn)}: checkpoint ${result.opId}`);
      }
      if (lsn > confirmed) confirmed = lsn;
      this.status.lastLsn = formatLsn(confirmed);
      await consumer.acknowledge(confirmed);
    };
    const handler: WalStreamHandler = new WalStreamHandler({
      rules: hydrated,
      writer,
      storageSchema: options.writerDeps.tables.schema,
      resumeAfter: state.lastLsn,
      onProgress,
      backlog: (): boolean => consumer.backlog > 0,
      onChange: () => {
        this.status.rowChanges += 1;
      },
    });
    const consumer: WalConsumer = new WalConsumer({
      config: sourceConfig(options.databaseUrl, REPLICATION_APP_NAME),
      publication: options.publication,
      slot: state.slotName,
      startLsn: state.lastLsn,
      handle: async (item): Promise<void> => {
        if (item.kind === 'message') return handler.handle(item.message);
        // Everything received before this keepalive is processed: its LSN is a consistent point
        // (unless a source transaction or a group of them is still open).
        const lsn = await handler.keepalive(item.lsn);
        if (lsn !== null && lsn > confirmed) await onProgress(lsn, null);
      },
      // Stopping while it waited: leave the group uncommitted (rolled back, replayed from the slot).
      idle: async () => {
        await handler.idle(() => consumer.backlog > 0 || consumer.stopping);
        if (consumer.backlog === 0) pacer.flush();
      },
      onStart: () => {
        this.status.phase = 'streaming';
        this.status.lastError = null;
        this.setup.running();
        logger.info(`streaming changes from slot ${state.slotName}`);
        // A WAL event right away: the first checkpoint does not wait for source traffic.
        pool.query(KEEPALIVE_SQL).catch((error) => logger.warn('could not emit a keepalive message', error));
      },
    });
    this.consumer = consumer;
    const status = setInterval(() => void this.reportLag(confirmed), options.statusIntervalMs ?? 60_000);
    try {
      await consumer.run();
    } finally {
      clearInterval(status);
      this.consumer = null;
      pacer.flush(); // committed: clients may have it whatever ended the session
    }
    if (!this.abort.signal.aborted) throw new Error('the replication connection ended');
  }

  /** A status line when something moved since the last one, or when replication falls behind. */
  private async reportLag(confirmed: bigint): Promise<void> {
    try {
      const { rows } = await this.options.pool.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
      const current = parseLsn(rows[0]?.lsn ?? '0/0');
      const lag = current > confirmed ? current - confirmed : 0n;
      const checkpoint = this.options.bus.latest?.opId ?? 0;
      if (checkpoint === this.reportedCheckpoint && lag < LAG_WORTH_REPORTING) return;
      this.reportedCheckpoint = checkpoint;
      this.options.logger.info(`checkpoint ${checkpoint} at ${formatLsn(confirmed)}, lag ${formatBytes(lag)}`);
    } catch (error) {
      this.options.logger.warn('could not read the replication lag', error);
    }
  }
}
