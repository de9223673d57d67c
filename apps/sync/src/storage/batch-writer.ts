import type pg from 'pg';
import { formatLsn } from '../pg/lsn.ts';
import type { Tuple } from '../pg/pgoutput.ts';
import type { SourceTable } from '../pg/source-tables.ts';
import type { BucketStates } from './bucket-states.ts';
import type { Mutex } from './mutex.ts';
import { PendingBatch } from './pending-batch.ts';
import type { RecentOps } from './recent-ops.ts';
import { deleteRow, putRow } from './row-changes.ts';
import type { RowEvaluator } from './row-evaluator.ts';
import type { StorageTables } from './storage-schema.ts';
import {
  type CurrentRow,
  currentKey,
  deleteCurrentRows,
  insertOps,
  insertParameterEntries,
  loadCurrentRows,
  upsertBucketStates,
  upsertCurrentRows,
} from './storage-writes.ts';
import { needsSourceRead, readSourceRow } from './toast.ts';

export type RowChange =
  | { kind: 'put'; table: SourceTable; key: string; tuple: Tuple }
  | { kind: 'delete'; table: SourceTable; key: string };

export interface WriterDeps {
  pool: pg.Pool;
  tables: StorageTables;
  evaluator: RowEvaluator;
  states: BucketStates;
  recent: RecentOps;
  /** Held for the length of a storage transaction; compaction takes it too. */
  lock: Mutex;
}

export interface CommitResult {
  /** The checkpoint's op id (unchanged when nothing was written). */
  opId: number;
  changedLookups: Set<string>;
  opsWritten: number;
}

const TRUNCATE_CHUNK = 2000;

/**
 * Writes one replicated source transaction (or one snapshot chunk) into bucket storage, in one
 * storage transaction: ops with fresh op ids, per-row bucket memberships, parameter lookups and
 * bucket totals. In-memory bucket states change only after the storage commit succeeded.
 */
export class BatchWriter {
  private client: pg.PoolClient | null = null;
  private unlock: (() => void) | null = null;
  private batch: PendingBatch;

  constructor(
    private readonly deps: WriterDeps,
    private committedOpId: number,
  ) {
    this.batch = new PendingBatch(deps.states, committedOpId);
  }

  get lastOpId(): number {
    return this.committedOpId;
  }

  /** Ops written since the last commit. */
  get pendingOps(): number {
    return this.batch.allOps.length;
  }

  /** Writes changes (in order) into the open storage transaction, opening one if needed. */
  async write(changes: readonly RowChange[]): Promise<void> {
    if (changes.length === 0) return;
    const db = await this.transaction();
    const t = this.deps.tables;
    const keys = new Map(changes.map((c) => [currentKey(c.table.id, c.key), { table: c.table.id, key: c.key }]));
    const current = await loadCurrentRows(db, t, [...keys.values()]);
    const upserts = new Map<string, { table: string; key: string; row: CurrentRow }>();
    const deletes = new Map<string, { table: string; key: string }>();

    for (const change of changes) {
      const id = currentKey(change.table.id, change.key);
      const before = current.get(id) ?? null;
      if (change.kind === 'put') {
        let previous = before;
        if (needsSourceRead(change.table, change.tuple, before?.rowData ?? null)) {
          previous = {
            buckets: [],
            lookups: {},
            ...before,
            rowData: await readSourceRow(db, change.table, change.tuple),
          };
        }
        const row = putRow(this.batch, this.deps.evaluator, change.table, change.key, change.tuple, previous);
        current.set(id, row);
        upserts.set(id, { table: change.table.id, key: change.key, row });
        deletes.delete(id);
      } else {
        if (before) deleteRow(this.batch, change.table, change.key, before);
        current.delete(id);
        upserts.delete(id);
        deletes.set(id, { table: change.table.id, key: change.key });
      }
    }
    const { ops, params } = this.batch.take();
    await insertOps(db, t, ops);
    await upsertCurrentRows(db, t, [...upserts.values()]);
    await deleteCurrentRows(db, t, [...deletes.values()]);
    await insertParameterEntries(db, t, params);
  }

  /** TRUNCATE of a source table: every row it had leaves its buckets and lookups. */
  async truncate(table: SourceTable): Promise<void> {
    const db = await this.transaction();
    for (;;) {
      const { rows } = await db.query<{ source_key: string }>(
        `SELECT source_key FROM ${this.deps.tables.currentData} WHERE source_table = $1 LIMIT ${TRUNCATE_CHUNK}`,
        [table.id],
      );
      if (rows.length === 0) return;
      await this.write(rows.map((row) => ({ kind: 'delete', table, key: row.source_key })));
    }
  }

  /** Commits what was written; `lastLsn` is the source position this commit covers. */
  async commit(lastLsn: bigint | null): Promise<CommitResult> {
    const db = this.client;
    if (!db) return { opId: this.committedOpId, changedLookups: new Set(), opsWritten: 0 };
    const t = this.deps.tables;
    const batch = this.batch;
    await upsertBucketStates(db, t, batch.states);
    await db.query(`UPDATE ${t.state} SET last_op_id = $1, last_lsn = COALESCE($2::pg_lsn, last_lsn)`, [
      batch.lastOpId,
      lastLsn === null ? null : formatLsn(lastLsn),
    ]);
    await db.query('COMMIT');
    this.client = null;
    db.release();
    this.releaseLock();

    for (const [bucket, state] of batch.states) this.deps.states.set(bucket, state);
    this.deps.recent.add(batch.allOps);
    this.committedOpId = batch.lastOpId;
    this.batch = new PendingBatch(this.deps.states, this.committedOpId);
    return { opId: this.committedOpId, changedLookups: batch.changedLookups, opsWritten: batch.allOps.length };
  }

  /** Drops what was written since the last commit (after an error). */
  async rollback(): Promise<void> {
    const db = this.client;
    this.client = null;
    this.batch = new PendingBatch(this.deps.states, this.committedOpId);
    if (db) {
      try {
        await db.query('ROLLBACK');
        db.release();
      } catch (error) {
        db.release(error instanceof Error ? error : new Error(String(error)));
      }
    }
    this.releaseLock();
  }

  private releaseLock(): void {
    this.unlock?.();
    this.unlock = null;
  }

  private async transaction(): Promise<pg.PoolClient> {
    if (this.client) return this.client;
    this.unlock = await this.deps.lock.acquire();
    try {
      const client = await this.deps.pool.connect();
      try {
        await client.query('BEGIN');
      } catch (error) {
        client.release(error instanceof Error ? error : new Error(String(error)));
        throw error;
      }
      this.client = client;
      return client;
    } catch (error) {
      this.releaseLock();
      throw error;
    }
  }
}
