import type { HydratedSyncConfig } from '@powersync/service-sync-rules';
import type pg from 'pg';
import type { Logger } from '../log.ts';
import { databaseName, sourceConfig } from '../pg/connection.ts';
import { formatLsn, parseLsn } from '../pg/lsn.ts';
import { isSynced, listPublishedTables, type SourceTable } from '../pg/source-tables.ts';
import type { SyncRules } from '../rules/sync-rules.ts';
import { BatchWriter, type WriterDeps } from '../storage/batch-writer.ts';
import { type ReplicationState, readReplicationState, writeReplicationState } from '../storage/replication-state.ts';
import { RowEvaluator } from '../storage/row-evaluator.ts';
import { writesBeyondCheckpoint } from '../storage/storage-check.ts';
import { clearBucketData, STORAGE_VERSION } from '../storage/storage-schema.ts';
import { StorageTransaction } from '../storage/storage-transaction.ts';
import { KEEPALIVE_SQL } from '../storage/write-checkpoints.ts';
import { createSlot, dropSlot, readSlot, slotNameFor } from './slot.ts';
import { snapshotTables } from './snapshot.ts';

export interface PrepareOptions {
  databaseUrl: string;
  publication: string;
  rules: SyncRules;
  pool: pg.Pool;
  writerDeps: Omit<WriterDeps, 'evaluator'>;
  logger: Logger;
  signal: AbortSignal;
  /** Called when a snapshot starts (not when resuming). */
  onSnapshot: () => void;
}

export interface Prepared {
  state: ReplicationState;
  hydrated: HydratedSyncConfig;
  writer: BatchWriter;
}

/**
 * A fresh deploy of the rules (first start, the rules changed, or storage must be rebuilt): new
 * slot, new snapshot. Op ids continue above `opIdFloor`: clients may hold higher ones.
 */
function newDeploy(previous: ReplicationState | null, options: PrepareOptions, opIdFloor = 0): ReplicationState {
  const rulesVersion = (previous?.rulesVersion ?? 0) + 1;
  return {
    storageVersion: STORAGE_VERSION,
    rulesHash: options.rules.hash,
    rulesVersion,
    slotName: slotNameFor(databaseName(options.databaseUrl), options.writerDeps.tables.schema, rulesVersion),
    snapshotDone: false,
    snapshotLsn: null,
    consistent: false,
    lastOpId: Math.max(previous?.lastOpId ?? 0, opIdFloor), // op ids never go back
    lastLsn: null,
  };
}

function warnAboutUnpublished(hydrated: HydratedSyncConfig, published: SourceTable[], logger: Logger): void {
  for (const pattern of hydrated.getSourceTables()) {
    if (pattern.isWildcard) continue;
    const found = published.some((t) => t.ref.schema === pattern.schema && t.ref.name === pattern.tablePattern);
    if (!found) logger.warn(`sync rules read ${pattern.schema}.${pattern.tablePattern}, which is not published`);
  }
}

/**
 * Brings bucket storage to a state replication can stream into: resumes where it stopped when
 * the rules and the slot are unchanged, otherwise creates a slot and copies the tables.
 */
export async function prepareReplication(options: PrepareOptions): Promise<Prepared> {
  const { pool, logger, writerDeps } = options;
  const t = writerDeps.tables;
  let state = await readReplicationState(pool, t);
  if (!state || state.storageVersion !== STORAGE_VERSION || state.rulesHash !== options.rules.hash) {
    const previous = state;
    state = newDeploy(previous, options);
    if (previous) {
      logger.info(`sync rules changed since the last run: deploying them as version ${state.rulesVersion}`);
      // The old deploy's slot would hold WAL forever.
      if (await dropSlot(pool, previous.slotName)) logger.info(`dropped replication slot ${previous.slotName}`);
    }
  } else if (state.snapshotDone) {
    const slot = await readSlot(pool, state.slotName);
    const beyond = await writesBeyondCheckpoint(pool, t, state.lastOpId);
    if (!slot || slot.walStatus === 'lost') {
      // Changes were missed: a new deploy, so clients get new bucket ids instead of checksum failures.
      logger.warn(`replication slot ${state.slotName} is ${slot ? 'lost' : 'missing'}: copying the tables again`);
      if (slot) await dropSlot(pool, state.slotName);
      state = newDeploy(state, options, beyond?.maxOpId);
    } else if (beyond) {
      // Writes that no commit covers: storage cannot be trusted, so it is rebuilt from the source.
      logger.error(
        `bucket storage holds ${beyond.ops} op(s) and ${beyond.lookups} parameter lookup(s) beyond its ` +
          `checkpoint ${state.lastOpId} (a stop in the middle of a write by an older version): ` +
          'copying the tables again; clients download their buckets anew',
      );
      await dropSlot(pool, state.slotName);
      state = newDeploy(state, options, beyond.maxOpId);
    }
  }
  const hydrated = options.rules.hydrate(state.rulesVersion);
  const evaluator = new RowEvaluator(hydrated, logger, state.slotName);
  const writer = new BatchWriter({ ...writerDeps, evaluator }, state.lastOpId);

  if (state.snapshotDone) {
    await writerDeps.states.load(pool, t);
    writerDeps.recent.reset(state.lastOpId);
    const at = state.lastLsn === null ? 'the slot start' : formatLsn(state.lastLsn);
    logger.info(`resuming replication from ${at} with slot ${state.slotName} (checkpoint ${state.lastOpId})`);
    return { state, hydrated, writer };
  }

  writerDeps.states.clear();
  writerDeps.recent.reset(state.lastOpId);
  // One transaction: a crash can never leave emptied storage under a state row that says it is full.
  const fresh = state;
  await writerDeps.lock.run(async () => {
    const tx = await StorageTransaction.begin(pool);
    try {
      await clearBucketData(tx, t);
      await writeReplicationState(tx, t, fresh);
    } catch (error) {
      await tx.rollback();
      throw error;
    }
    await tx.commit();
  });
  const slotLsn = await createSlot(pool, state.slotName);
  logger.info(`created replication slot ${state.slotName} at ${formatLsn(slotLsn)}`);

  const published = await listPublishedTables(pool, options.publication, hydrated);
  warnAboutUnpublished(hydrated, published, logger);
  const synced = published.filter(isSynced);
  const started = Date.now();
  const config = sourceConfig(options.databaseUrl, 'powersync-sync-snapshot');
  options.onSnapshot();
  let rows: number;
  try {
    rows = await snapshotTables(config, synced, writer, logger.child('snapshot'), options.signal);
  } catch (error) {
    await writer.rollback(); // releases the storage write lock
    throw error;
  }
  // Fresh statistics, or the planner reads a bucket's whole range to sort it for every data chunk.
  await pool.query(`ANALYZE ${t.ops}, ${t.currentData}, ${t.parameterIndex}, ${t.bucketState}`);
  const { rows: lsnRows } = await pool.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
  const snapshotLsn = parseLsn(lsnRows[0]?.lsn ?? '0/0');
  state = { ...state, snapshotDone: true, snapshotLsn, lastOpId: writer.lastOpId };
  writerDeps.recent.reset(writer.lastOpId); // memory is for fan-out of new changes; first downloads read storage
  await writeReplicationState(pool, t, state);
  await pool.query(KEEPALIVE_SQL); // so that streaming reaches the snapshot LSN without waiting for traffic
  logger.info(
    `snapshot done: ${rows} rows from ${synced.length} tables in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
      `consistent once replication reaches ${formatLsn(snapshotLsn)}`,
  );
  return { state, hydrated, writer };
}
