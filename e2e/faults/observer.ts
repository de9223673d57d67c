import { schema, type TableName } from '@cr/demo-domain';
import pg from 'pg';
import { canonicalTimestamp, SYNCED_TABLES, type Values } from './rows.ts';
import { parseDecodedLine } from './test-decoding.ts';

/** One committed source transaction, as Postgres decoded it. */
export interface CommittedTx {
  /** 1, 2, 3… in commit order: a position ("cut") in the database's history. */
  seq: number;
  xid: string;
  lsn: bigint;
  /** Commit time (ms). */
  at: number;
  changes: { table: TableName; id: string; values: Values | null }[];
}

/** A row's committed versions in commit order; `values: null` is a deletion. */
export interface RowHistory {
  table: TableName;
  id: string;
  versions: { seq: number; values: Values | null }[];
}

const SLOT = 'faults_observer';
const SYNCED = new Set<string>(SYNCED_TABLES);

/**
 * Every committed version of every synced row, read from a logical replication slot of its own
 * (`test_decoding`), created before the seed so the whole history is there. Transactions come
 * whole and in commit order; after a Postgres crash the slot may hand out some again, which are
 * recognised by their commit LSN and skipped.
 */
export class Observer {
  readonly transactions: CommittedTx[] = [];
  readonly rows = new Map<string, RowHistory>();
  private lastLsn = 0n;
  private readonly pool: pg.Pool;

  private constructor(databaseUrl: string) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 1, options: '-c TimeZone=UTC' });
    this.pool.on('error', () => {}); // Postgres restarts under it; the next poll reconnects
  }

  static async create(databaseUrl: string): Promise<Observer> {
    const observer = new Observer(databaseUrl);
    await observer.pool.query(`SELECT pg_create_logical_replication_slot($1, 'test_decoding')`, [SLOT]);
    return observer;
  }

  /** The position of the latest transaction seen (0 before any). */
  get seq(): number {
    return this.transactions.length;
  }

  /** Reads what was committed since the last poll; false when Postgres could not be reached. */
  async poll(): Promise<boolean> {
    for (;;) {
      let rows: { lsn: string; data: string }[];
      try {
        ({ rows } = await this.pool.query<{ lsn: string; data: string }>(
          `SELECT lsn::text, data FROM pg_logical_slot_get_changes($1, NULL, 5000,
             'include-xids', '1', 'include-timestamp', '1', 'skip-empty-xacts', '1')`,
          [SLOT],
        ));
      } catch {
        return false;
      }
      if (rows.length === 0) return true;
      this.absorb(rows);
    }
  }

  /** The committed versions of one row (empty when it never existed). */
  history(table: TableName, id: string): RowHistory {
    return this.rows.get(`${table}/${id}`) ?? { table, id, versions: [] };
  }

  async close(): Promise<void> {
    await this.pool.query('SELECT pg_drop_replication_slot($1)', [SLOT]).catch(() => {});
    await this.pool.end();
  }

  private absorb(rows: { lsn: string; data: string }[]): void {
    let open: { xid: string; changes: CommittedTx['changes'] } | null = null;
    for (const row of rows) {
      const line = parseDecodedLine(row.data);
      if (line.kind === 'begin') open = { xid: line.xid, changes: [] };
      else if (line.kind === 'change' && open && line.schema === 'public' && SYNCED.has(line.table)) {
        if (!schema.has(line.table) || line.op === 'TRUNCATE') continue;
        const id = line.values.id;
        if (id === undefined || id === null) continue;
        open.changes.push({ table: line.table, id, values: line.op === 'DELETE' ? null : line.values });
      } else if (line.kind === 'commit' && open) {
        const lsn = parseLsn(row.lsn);
        if (lsn > this.lastLsn) {
          this.lastLsn = lsn;
          if (open.changes.length > 0) this.commit(open.xid, lsn, line.at, open.changes);
        }
        open = null;
      }
    }
  }

  private commit(xid: string, lsn: bigint, at: string | null, changes: CommittedTx['changes']): void {
    const seq = this.transactions.length + 1;
    const time = at ? Number(BigInt(canonicalTimestamp(at)) / 1000n) : Date.now();
    const committed: CommittedTx = { seq, xid, lsn, at: time, changes };
    this.transactions.push(committed);
    for (const change of changes) {
      const key = `${change.table}/${change.id}`;
      let history = this.rows.get(key);
      if (!history) {
        history = { table: change.table, id: change.id, versions: [] };
        this.rows.set(key, history);
      }
      const previous = history.versions[history.versions.length - 1]?.values ?? null;
      // Unchanged TOASTed columns are not printed: they keep their previous value.
      const values = change.values === null ? null : { ...(previous ?? {}), ...change.values };
      history.versions.push({ seq, values });
    }
  }
}

export function parseLsn(text: string): bigint {
  const [high = '0', low = '0'] = text.split('/');
  return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`);
}
