import type pg from 'pg';
import { formatLsn, parseLsn } from '../pg/lsn.ts';
import type { StorageTables } from './storage-schema.ts';
import type { Queryable } from './storage-transaction.ts';

/** Where replication stands, persisted in the `state` row of bucket storage. */
export interface ReplicationState {
  storageVersion: number;
  /** Hash of the sync rules the buckets were built with. */
  rulesHash: string;
  /** Deploy counter: bumped when the sync rules change (the new deploy re-snapshots). */
  rulesVersion: number;
  slotName: string;
  snapshotDone: boolean;
  /** The source is consistent once streaming has passed this LSN (recorded after the copy). */
  snapshotLsn: bigint | null;
  consistent: boolean;
  /** The latest committed op id (the checkpoint); only grows. */
  lastOpId: number;
  /** The source LSN the latest storage commit covers; streaming resumes after it. */
  lastLsn: bigint | null;
}

interface StateRow {
  storage_version: number;
  rules_hash: string;
  rules_version: number;
  slot_name: string;
  snapshot_done: boolean;
  snapshot_lsn: string | null;
  consistent: boolean;
  last_op_id: string;
  last_lsn: string | null;
}

export async function readReplicationState(
  db: pg.Pool | pg.PoolClient,
  t: StorageTables,
): Promise<ReplicationState | null> {
  const { rows } = await db.query<StateRow>(`SELECT * FROM ${t.state}`);
  const row = rows[0];
  if (!row) return null;
  return {
    storageVersion: row.storage_version,
    rulesHash: row.rules_hash,
    rulesVersion: row.rules_version,
    slotName: row.slot_name,
    snapshotDone: row.snapshot_done,
    snapshotLsn: row.snapshot_lsn === null ? null : parseLsn(row.snapshot_lsn),
    consistent: row.consistent,
    lastOpId: Number(row.last_op_id),
    lastLsn: row.last_lsn === null ? null : parseLsn(row.last_lsn),
  };
}

export async function writeReplicationState(db: Queryable, t: StorageTables, state: ReplicationState): Promise<void> {
  const lsn = (value: bigint | null) => (value === null ? null : formatLsn(value));
  await db.query(
    `INSERT INTO ${t.state} (id, storage_version, rules_hash, rules_version, slot_name, snapshot_done,
                             snapshot_lsn, consistent, last_op_id, last_lsn)
     VALUES (true, $1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (id) DO UPDATE SET
       storage_version = excluded.storage_version, rules_hash = excluded.rules_hash,
       rules_version = excluded.rules_version, slot_name = excluded.slot_name,
       snapshot_done = excluded.snapshot_done, snapshot_lsn = excluded.snapshot_lsn,
       consistent = excluded.consistent, last_op_id = excluded.last_op_id, last_lsn = excluded.last_lsn`,
    [
      state.storageVersion,
      state.rulesHash,
      state.rulesVersion,
      state.slotName,
      state.snapshotDone,
      lsn(state.snapshotLsn),
      state.consistent,
      state.lastOpId,
      lsn(state.lastLsn),
    ],
  );
}
