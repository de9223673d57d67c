import pg from 'pg';

/** Replication lag above which writers wait (bytes of WAL the slot has not confirmed). */
const HIGH_LAG = 4 * 1024 * 1024;
const LOW_LAG = 1024 * 1024;

export interface LoadWriter {
  /** Transactions committed so far. */
  readonly committed: number;
  /** Stops after the statement in progress; resolves when the connection is closed. */
  stop(): Promise<void>;
}

/**
 * Write load for restart tests: one connection runs `statements` in a loop, each in its own
 * transaction, as fast as Postgres takes them, but never more than a few MB of WAL ahead of the
 * database's replication slot (a stopped service does not fall hopelessly behind on two cores).
 * When Postgres goes away, it reconnects once it is back.
 */
export function startLoadWriter(databaseUrl: string, statements: string[]): LoadWriter {
  let running = true;
  let committed = 0;
  const session = async () => {
    const db = new pg.Client({ connectionString: databaseUrl });
    db.on('error', () => {}); // the query in progress fails with it
    try {
      await db.connect();
      while (running) {
        for (const statement of statements) await db.query(statement);
        committed += statements.length;
        if (committed % 20 < statements.length) await waitForSlot(db, () => running);
      }
    } finally {
      await db.end().catch(() => {});
    }
  };
  const loop = (async () => {
    while (running) await session().catch(() => new Promise((resolve) => setTimeout(resolve, 100)));
  })();
  return {
    get committed() {
      return committed;
    },
    async stop() {
      running = false;
      await loop;
    },
  };
}

async function lag(db: pg.Client): Promise<number> {
  const { rows } = await db.query<{ lag: string | null }>(
    `SELECT max(pg_current_wal_lsn() - confirmed_flush_lsn)::text AS lag
       FROM pg_replication_slots WHERE database = current_database()`,
  );
  return Number(rows[0]?.lag ?? 0);
}

/** Waits (polling the slot) while replication is more than {@link HIGH_LAG} behind, until {@link LOW_LAG}. */
async function waitForSlot(db: pg.Client, running: () => boolean): Promise<void> {
  if ((await lag(db)) < HIGH_LAG) return;
  while (running() && (await lag(db)) > LOW_LAG) await new Promise((resolve) => setTimeout(resolve, 20));
}
