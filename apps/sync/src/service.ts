import type { HydratedSyncConfig } from '@powersync/service-sync-rules';
import type pg from 'pg';
import type { Logger } from './log.ts';
import { createPool } from './pg/connection.ts';
import { Replicator } from './replication/replicator.ts';
import { checkStorageSchema } from './replication/source-check.ts';
import { SourceSetupError } from './replication/source-problems.ts';
import type { LookupReader } from './rules/bucket-resolver.ts';
import type { SyncRules } from './rules/sync-rules.ts';
import { BucketStates } from './storage/bucket-states.ts';
import { CheckpointBus } from './storage/checkpoint-bus.ts';
import { Compactor } from './storage/compactor.ts';
import { Mutex } from './storage/mutex.ts';
import { OpReader } from './storage/op-reader.ts';
import { readParameterSets } from './storage/parameter-store.ts';
import { RecentOps } from './storage/recent-ops.ts';
import {
  assertStorageNotPublished,
  createStorageSchema,
  type StorageTables,
  storageTables,
} from './storage/storage-schema.ts';
import { WriteCheckpoints } from './storage/write-checkpoints.ts';

export const PUBLICATION = 'powersync';

export interface SyncServiceOptions {
  databaseUrl: string;
  storageSchema: string;
  rules: SyncRules;
  logger: Logger;
  /** 0: no periodic compaction (call {@link SyncService.compact}). */
  compactIntervalMs: number;
  statusIntervalMs?: number;
}

/**
 * Everything behind the HTTP routes: bucket storage in the source database, the replicator that
 * fills it, the checkpoint bus that fans out to streams, write checkpoints and compaction.
 */
export class SyncService {
  readonly bus = new CheckpointBus();
  readonly states = new BucketStates();
  readonly recent = new RecentOps(0);
  readonly writeLock = new Mutex();
  readonly reader: OpReader;
  readonly writeCheckpoints: WriteCheckpoints;
  readonly compactor: Compactor;
  readonly replicator: Replicator;
  private hydrated: HydratedSyncConfig | null = null;
  private deploy: string | null = null;
  private compactTimer: NodeJS.Timeout | null = null;

  private constructor(
    readonly pool: pg.Pool,
    readonly tables: StorageTables,
    options: SyncServiceOptions,
  ) {
    const logger = options.logger;
    this.reader = new OpReader(pool, tables, this.recent);
    this.writeCheckpoints = new WriteCheckpoints(pool, tables);
    this.compactor = new Compactor(pool, tables, this.states, this.recent, this.writeLock, logger.child('compact'));
    this.replicator = new Replicator({
      databaseUrl: options.databaseUrl,
      publication: PUBLICATION,
      rules: options.rules,
      pool,
      writerDeps: { pool, tables, states: this.states, recent: this.recent, lock: this.writeLock },
      bus: this.bus,
      logger: logger.child('replication'),
      onRulesReady: (rules, deploy) => {
        this.hydrated = rules;
        this.deploy = deploy;
      },
      ...(options.statusIntervalMs === undefined ? {} : { statusIntervalMs: options.statusIntervalMs }),
    });
  }

  /**
   * Creates the storage schema (failing fast, with the fix, when the role may not) and checks that
   * the publication leaves it out, then starts replicating; what replication needs from Postgres
   * is reported by readiness ({@link Replicator.problems}).
   */
  static async start(options: SyncServiceOptions): Promise<SyncService> {
    const pool = createPool(options.databaseUrl, 'powersync-sync');
    pool.on('error', (error) => options.logger.warn('idle storage connection failed', error));
    const tables = storageTables(options.storageSchema);
    try {
      const storage = await checkStorageSchema(pool, options.storageSchema);
      if (storage.problems.length > 0) throw new SourceSetupError(storage.problems);
      await createStorageSchema(pool, tables);
      await assertStorageNotPublished(pool, options.storageSchema, PUBLICATION);
    } catch (error) {
      await pool.end();
      throw error;
    }
    const service = new SyncService(pool, tables, options);
    service.replicator.start();
    if (options.compactIntervalMs > 0) {
      service.compactTimer = setInterval(() => {
        service.compact().catch((error) => options.logger.warn('compaction failed', error));
      }, options.compactIntervalMs);
      service.compactTimer.unref();
    }
    return service;
  }

  /** The rules of the deploy being served (null until replication has prepared storage). */
  get rules(): HydratedSyncConfig | null {
    return this.hydrated;
  }

  /** The name of the deploy being served (its replication slot; null until prepared). */
  get deployName(): string | null {
    return this.deploy;
  }

  readLookups(opId: number): LookupReader {
    return (lookups) => readParameterSets(this.pool, this.tables, lookups, opId);
  }

  compact() {
    return this.compactor.compactAll();
  }

  async close(): Promise<void> {
    if (this.compactTimer) clearInterval(this.compactTimer);
    this.bus.close();
    await this.replicator.stop();
    await this.pool.end();
  }
}
