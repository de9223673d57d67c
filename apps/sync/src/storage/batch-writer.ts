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
import { StorageTransaction } from './storage-transaction.ts';
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
 * bucket totals, and the state row's checkpoint that makes them visible. Nothing is written
 * anywhere else, so a crash at any point leaves storage at its last commit. In-memory bucket
 * states change only after the storage commit succeeded.
 *
 * Stopping is ordered: {@link abandon} makes the write in progress fail at its next statement,
 * {@link rollback} waits for it to settle, rolls the transaction back, then releases the
 * connection (never the other way round: a released connection would run the rest of the write
 * outside any transaction).
 */
export class BatchWriter {
  private tx: StorageTransaction | null = null;
  private unlock: (() => void) | null = null;
  private batch: PendingBatch;
  /** The write, truncate or commit in progress. */
  private current: Promise<unknown> = Promise.resolve();

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
  write(changes: readonly RowChange[]): Promise<void> {
    return this.track(this.writeChanges(changes));
  }

  private async writeChanges(changes: readonly RowChange[]): Promise<void> {
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
        if (before) deleteRow(this.batch, this.deps.evaluator, change.table, change.key, before);
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
  truncate(table: SourceTable): Promise<void> {
    return this.track(
      (async () => {
        const db = await this.transaction();
        for (;;) {
          const { rows } = await db.query<{ source_key: string }>(
            `SELECT source_key FROM ${this.deps.tables.currentData} WHERE source_table = $1 LIMIT ${TRUNCATE_CHUNK}`,
            [table.id],
          );
          if (rows.length === 0) return;
          await this.writeChanges(rows.map((row) => ({ kind: 'delete', table, key: row.source_key })));
        }
      })(),
    );
  }

  /** Commits what was written, with the state row; `lastLsn` is the source position it covers. */
  commit(lastLsn: bigint | null): Promise<CommitResult> {
    return this.track(this.commitBatch(lastLsn));
  }

  private async commitBatch(lastLsn: bigint | null): Promise<CommitResult> {
    const db = this.tx;
    if (!db) return { opId: this.committedOpId, changedLookups: new Set(), opsWritten: 0 };
    const t = this.deps.tables;
    const batch = this.batch;
    await upsertBucketStates(db, t, batch.states);
    await db.query(`UPDATE ${t.state} SET last_op_id = $1, last_lsn = COALESCE($2::pg_lsn, last_lsn)`, [
      batch.lastOpId,
      lastLsn === null ? null : formatLsn(lastLsn),
    ]);
    this.tx = null;
    try {
      await db.commit();
    } finally {
      this.releaseLock();
    }

    for (const [bucket, state] of batch.states) this.deps.states.set(bucket, state);
    // The snapshot (no LSN) is read by no connected client: memory restarts above it instead of
    // holding the last 50,000 copied rows.
    if (lastLsn === null) this.deps.recent.reset(batch.lastOpId);
    else this.deps.recent.add(batch.allOps);
    this.committedOpId = batch.lastOpId;
    this.batch = new PendingBatch(this.deps.states, this.committedOpId);
    return { opId: this.committedOpId, changedLookups: batch.changedLookups, opsWritten: batch.allOps.length };
  }

  /** Makes the write in progress fail at its next statement (stopping: nothing more is stored). */
  abandon(): void {
    this.tx?.close();
  }

  /**
   * Drops what was written since the last commit (after an error, or when stopping): waits for
   * the operation in progress to settle, rolls back, then releases the connection and the lock.
   */
  async rollback(): Promise<void> {
    this.abandon();
    await this.current.catch(() => {});
    const db = this.tx;
    this.tx = null;
    this.batch = new PendingBatch(this.deps.states, this.committedOpId);
    try {
      await db?.rollback();
    } finally {
      this.releaseLock();
    }
  }

  private track<T>(operation: Promise<T>): Promise<T> {
    this.current = operation.catch(() => {});
    return operation;
  }

  private releaseLock(): void {
    this.unlock?.();
    this.unlock = null;
  }

  private async transaction(): Promise<StorageTransaction> {
    if (this.tx) return this.tx;
    this.unlock = await this.deps.lock.acquire();
    try {
      this.tx = await StorageTransaction.begin(this.deps.pool);
      return this.tx;
    } catch (error) {
      this.releaseLock();
      throw error;
    }
  }
}
