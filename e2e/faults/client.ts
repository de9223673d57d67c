import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Role, schema, type TableName } from '@cr/demo-domain';
import { AppSchema } from '@cr/demo-domain/client';
import { columnNames } from '@cr/schema';
import { SyncStreamConnectionMethod, type Transaction } from '@powersync/common';
import { PowerSyncDatabase } from '@powersync/node';
import { PartitionProxy } from '../partition/partition-proxy.ts';
import { ApiUploader } from './api-uploader.ts';
import type { ClientRead, CrudRecord, History, IssuedTx } from './history.ts';
import { PRIORITY_1, PRIORITY_3, rowDigest, rowKey, SYNCED_TABLES } from './rows.ts';
import { slowLinkFetch } from './slow-link.ts';

export interface FaultClientSpec {
  name: string;
  user: string;
  role: Role;
  apiPort: number;
  syncPort: number;
  history: History;
}

const quiet = { log: () => {} };
const COLUMNS = Object.fromEntries(
  SYNCED_TABLES.map((table) => [table, ['id', ...columnNames(schema.table(table))].join(', ')]),
) as Record<TableName, string>;

/**
 * One device of the fault run: a real @powersync/node client (Rust sync core) with its own
 * SQLite file, reaching the upload API and the sync service through partition proxies of its
 * own, uploading like the web app's connector does. Its database can be closed and reopened
 * (an app that was quit with uploads pending).
 */
export class FaultClient {
  db: PowerSyncDatabase | null = null;
  readonly apiProxy: PartitionProxy;
  readonly syncProxy: PartitionProxy;
  readonly uploader: ApiUploader;
  /** Rows this client ever wrote locally (their local value may be optimistic). */
  private readonly written = new Set<string>();
  private stopWatching: () => void = () => {};
  /** While above 0, each sync line reaches the client this much later than the one before (a slow link). */
  lineDelayMs = 0;
  private waiters: (() => void)[] = [];
  private dir = '';

  private constructor(readonly spec: FaultClientSpec) {
    this.apiProxy = new PartitionProxy({ target: { host: '127.0.0.1', port: spec.apiPort } });
    this.syncProxy = new PartitionProxy({ target: { host: '127.0.0.1', port: spec.syncPort } });
    this.uploader = new ApiUploader(spec.name, spec.user, () => this.apiProxy.origin, spec.history);
  }

  static async start(spec: FaultClientSpec): Promise<FaultClient> {
    const client = new FaultClient(spec);
    await client.apiProxy.start();
    await client.syncProxy.start();
    client.dir = await mkdtemp(path.join(tmpdir(), `cr-faults-${spec.name}-`));
    await client.openDatabase();
    const psClientId = await (client.db as PowerSyncDatabase).getClientId();
    spec.history.clients.push({ name: spec.name, user: spec.user, role: spec.role, psClientId });
    return client;
  }

  get name(): string {
    return this.spec.name;
  }

  get isOpen(): boolean {
    return this.db !== null;
  }

  /** Opens (or reopens) the local database and connects; what was queued is still queued. */
  async openDatabase(): Promise<void> {
    const db = new PowerSyncDatabase({
      logger: quiet as never,
      schema: AppSchema,
      database: { dbFilename: `${path.basename(this.dir)}.db`, dbLocation: this.dir },
      remoteOptions: { customFetch: slowLinkFetch(() => this.lineDelayMs) },
    });
    await db.init();
    await db.connect(
      this.uploader.connector(() => this.syncProxy.origin),
      {
        connectionMethod: SyncStreamConnectionMethod.HTTP,
        crudUploadThrottleMs: 50,
        retryDelayMs: 300,
      },
    );
    // Reads right after the client changes its tables (a checkpoint applied): the moments a
    // partly applied checkpoint would be visible.
    this.stopWatching = db.onChange(
      { onChange: () => this.wake() },
      { tables: [...SYNCED_TABLES], throttleMs: 0, triggerImmediate: false },
    );
    this.db = db;
  }

  /** Resolves at the next change of a synced table, or after `ms`. */
  nextChange(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Closes the local database (uploads stay queued in the file). */
  async closeDatabase(): Promise<void> {
    const db = this.db;
    this.db = null;
    this.stopWatching();
    await db?.close();
  }

  partition(): void {
    this.apiProxy.offline();
    this.syncProxy.offline();
  }

  heal(): void {
    this.apiProxy.online();
    this.syncProxy.online();
  }

  /**
   * One local transaction of the workload; records it with the operations PowerSync queued for
   * it (null when the database is closed or the transaction wrote nothing).
   */
  async write(kind: string, body: (tx: Transaction) => Promise<void>): Promise<IssuedTx | null> {
    const db = this.db;
    if (!db) return null;
    const ops = await db.writeTransaction(async (tx) => {
      const before = (await tx.get<{ id: number | null }>('SELECT max(id) AS id FROM ps_crud')).id ?? 0;
      await body(tx);
      return tx.getAll<{ id: number; tx_id: number; data: string }>(
        'SELECT id, tx_id, data FROM ps_crud WHERE id > ? ORDER BY id',
        [before],
      );
    });
    if (ops.length === 0) return null;
    const issued: IssuedTx = {
      client: this.name,
      at: Date.now(),
      txId: ops[0]?.tx_id ?? 0,
      kind,
      ops: ops.map((row) => crudRecord(row.id, row.data)),
    };
    for (const op of issued.ops) this.written.add(rowKey(op.table, op.id));
    this.spec.history.issued.push(issued);
    return issued;
  }

  /** A read of every synced table in one transaction, recorded for the checkers. */
  async read(): Promise<ClientRead | null> {
    const db = this.db;
    if (!db) return null;
    return db.readTransaction(async (tx) => {
      const groups: ClientRead['groups'] = [];
      for (const [priority, tables] of [
        [1, PRIORITY_1],
        [3, PRIORITY_3],
      ] as const) {
        const rows = new Map<string, string>();
        for (const table of tables) {
          for (const row of await tx.getAll<Record<string, unknown>>(`SELECT ${COLUMNS[table]} FROM ${table}`)) {
            rows.set(rowKey(table, String(row.id)), rowDigest(table, row));
          }
        }
        groups.push({ priority, rows });
      }
      const excluded = new Set<string>();
      const crud = await tx.getAll<{ data: string }>('SELECT data FROM ps_crud');
      for (const { data } of crud) {
        const entry = JSON.parse(data) as { type: string; id: string };
        excluded.add(rowKey(entry.type, entry.id));
      }
      for (const row of await tx.getAll<{ row_type: string; row_id: string }>(
        'SELECT row_type, row_id FROM ps_updated_rows',
      )) {
        const key = rowKey(row.row_type, row.row_id);
        if (this.written.has(key)) excluded.add(key);
      }
      const read: ClientRead = { client: this.name, at: Date.now(), groups, excluded, queueEmpty: crud.length === 0 };
      return read;
    });
  }

  /** Operations still waiting for upload. */
  async queued(): Promise<number> {
    const db = this.db;
    if (!db) return -1;
    return (await db.get<{ n: number }>('SELECT count(*) AS n FROM ps_crud')).n;
  }

  async stop(): Promise<void> {
    await this.closeDatabase().catch(() => {});
    await this.apiProxy.stop();
    await this.syncProxy.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}

function crudRecord(opId: number, data: string): CrudRecord {
  const entry = JSON.parse(data) as {
    op: CrudRecord['op'];
    type: TableName;
    id: string;
    data?: Record<string, unknown>;
    old?: Record<string, unknown>;
    metadata?: string;
  };
  return {
    opId,
    op: entry.op,
    table: entry.type,
    id: entry.id,
    data: entry.data ?? {},
    old: entry.old ?? null,
    metadata: entry.metadata ? (JSON.parse(entry.metadata) as Record<string, unknown>) : null,
  };
}
