import type { HydratedSyncConfig } from '@powersync/service-sync-rules';
import type { PgoutputMessage, Tuple } from '../pg/pgoutput.ts';
import { isSynced, type SourceTable, sourceKey, tableFromRelation } from '../pg/source-tables.ts';
import type { BatchWriter, CommitResult, RowChange } from '../storage/batch-writer.ts';

/** Changes buffered before they are written (still inside the same storage transaction). */
const FLUSH_EVERY = 2000;

export interface WalStreamOptions {
  rules: HydratedSyncConfig;
  writer: BatchWriter;
  /** Relations in this schema (bucket storage) are never replicated, even if published by mistake. */
  storageSchema: string;
  /** Transactions that committed before this LSN are already in storage (replayed after a restart). */
  resumeAfter: bigint | null;
  /**
   * After each storage commit, and for each keepalive message: the source is replicated up to
   * `lsn`. `awaited`: a write checkpoint's message, which a client waits for (publish at once).
   */
  onProgress: (lsn: bigint, result: CommitResult | null, awaited?: boolean) => Promise<void>;
  /** Whether more WAL is already waiting: then source commits may share one storage commit. */
  backlog: () => boolean;
  /** Counts replicated row changes (status). */
  onChange: () => void;
}

/** Bounds of a storage transaction that groups several source transactions (changes, ms). */
const GROUP_MAX_OPS = 10_000;
const GROUP_MAX_MS = 250;
/** Replication is behind when a commit reaches us this much later than the quickest one did. */
const BEHIND_MS = 50;

/**
 * Turns the pgoutput messages of one replication session into storage writes: each source
 * transaction is written in chunks and committed with its commit. When more WAL is already
 * queued (a backlog), consecutive source transactions share one storage commit (group commit),
 * bounded in ops and time; the checkpoint then covers the last of them.
 */
export class WalStreamHandler {
  private readonly tables = new Map<number, SourceTable | null>();
  private changes: RowChange[] = [];
  private skipping = false;
  private open = false;
  /** A source commit written but not yet committed to storage (group commit). */
  private deferredLsn: bigint | null = null;
  private groupStarted = 0;
  /**
   * The smallest (arrival − commit time) seen: network delay plus the clock difference between
   * Postgres and this process. A commit arriving well above it means replication is behind.
   */
  private quickest = Number.POSITIVE_INFINITY;
  private lastDelay = 0;

  constructor(private readonly options: WalStreamOptions) {}

  async handle(message: PgoutputMessage): Promise<void> {
    switch (message.tag) {
      case 'begin':
        this.open = true;
        this.skipping = this.options.resumeAfter !== null && message.finalLsn < this.options.resumeAfter;
        return;
      case 'relation': {
        const { relation } = message;
        const table = tableFromRelation(relation, this.options.rules);
        const ignored = relation.schema === this.options.storageSchema || !isSynced(table);
        this.tables.set(relation.id, ignored ? null : table);
        return;
      }
      case 'insert':
        return this.change(message.relationId, (table) => [this.put(table, message.tuple)]);
      case 'update':
        return this.change(message.relationId, (table) => {
          const put = this.put(table, message.tuple);
          const oldKey = message.old ? sourceKey(table, message.old) : null;
          // The identity changed: the old row is gone, the new one is a new row.
          return oldKey !== null && oldKey !== put.key ? [{ kind: 'delete', table, key: oldKey }, put] : [put];
        });
      case 'delete':
        return this.change(message.relationId, (table) => [
          { kind: 'delete', table, key: sourceKey(table, message.old) },
        ]);
      case 'truncate':
        if (this.skipping) return;
        for (const id of message.relationIds) {
          const table = this.table(id);
          if (!table) continue;
          await this.flush();
          await this.options.writer.truncate(table);
        }
        return;
      case 'commit': {
        this.open = false;
        if (this.skipping) {
          this.skipping = false;
          if (this.deferredLsn === null) await this.options.onProgress(message.endLsn, null);
          return;
        }
        if (this.deferredLsn === null) this.groupStarted = Date.now();
        this.deferredLsn = message.endLsn;
        const delay = Date.now() - message.commitTime;
        this.quickest = Math.min(this.quickest, delay);
        this.lastDelay = delay - this.quickest;
        if (!this.mayGroup) await this.settle();
        return;
      }
      case 'message':
        if (!message.transactional && message.prefix === 'powersync' && !this.open) {
          await this.settle();
          await this.options.onProgress(message.lsn, null, true);
        }
        return;
      default:
        return;
    }
  }

  /**
   * A server keepalive, received after everything before it was handled: between source
   * transactions its LSN is a consistent point once the group is committed. Returns the position
   * that may be reported now, or null. While a group is open and more is coming (queued WAL, or
   * replication behind), the group stays open: Postgres sends a keepalive after nearly every
   * transaction of a backlog (each storage commit's acknowledgement prompts the next one), and
   * committing there made every source transaction its own storage commit and fan-out.
   */
  async keepalive(lsn: bigint): Promise<bigint | null> {
    if (this.open) return null;
    if (this.deferredLsn !== null && this.mayGroup) return null;
    await this.settle();
    return lsn;
  }

  /** More source transactions may join the open group. */
  private get mayGroup(): boolean {
    return (this.options.backlog() || this.behind) && this.groupHasRoom;
  }

  /** The last commit arrived late: the source has more committed that is still on its way. */
  get behind(): boolean {
    return this.lastDelay > BEHIND_MS;
  }

  private get groupHasRoom(): boolean {
    return (
      this.changes.length + this.options.writer.pendingOps < GROUP_MAX_OPS &&
      Date.now() - this.groupStarted < GROUP_MAX_MS
    );
  }

  /**
   * Everything received is handled. Caught up: commit now (no checkpoint waits). Behind (a
   * backlog, e.g. after a pause), the rest of the backlog is usually in flight while connected
   * streams keep this process busy: give the connection a moment to deliver it, so the group
   * commit spans it instead of paying a storage commit and a checkpoint fan-out per source
   * transaction. `more`: whether anything arrived meanwhile (then the caller goes on handling), or
   * whether replication is stopping (then nothing is committed).
   */
  async idle(more: () => boolean): Promise<void> {
    if (this.deferredLsn !== null && !this.open && this.behind && this.groupHasRoom) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      if (more()) return;
    }
    await this.settle();
  }

  /**
   * Commits a grouped storage transaction, if one waits between source transactions. In the
   * middle of a source transaction it waits for that transaction's commit instead: the storage
   * transaction already holds some of its changes, and a commit now would publish a checkpoint
   * with part of it.
   */
  async settle(): Promise<void> {
    const lsn = this.deferredLsn;
    if (lsn === null || this.open) return;
    this.deferredLsn = null;
    await this.flush();
    const result = await this.options.writer.commit(lsn);
    await this.options.onProgress(lsn, result);
  }

  private table(relationId: number): SourceTable | null {
    const table = this.tables.get(relationId);
    if (table === undefined) throw new Error(`pgoutput: change for relation ${relationId} before its Relation message`);
    return table;
  }

  private put(table: SourceTable, tuple: Tuple): RowChange & { kind: 'put' } {
    return { kind: 'put', table, key: sourceKey(table, tuple), tuple };
  }

  private async change(relationId: number, build: (table: SourceTable) => RowChange[]): Promise<void> {
    const table = this.table(relationId);
    if (!table || this.skipping) return;
    this.options.onChange();
    for (const change of build(table)) this.changes.push(change);
    if (this.changes.length >= FLUSH_EVERY) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.changes.length === 0) return;
    const changes = this.changes;
    this.changes = [];
    await this.options.writer.write(changes);
  }
}
