import { freePort, seedIfEmpty } from '@cr/db';
import { createTestDatabase } from '@cr/db/testing';
import { infraPaths } from '@cr/infra';
import pg from 'pg';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { JwksServer } from '../../test/jwks-server.ts';
import { type LoadWriter, startLoadWriter } from '../../test/load-writer.ts';
import { prng } from '../../test/prng.ts';
import { openStream } from '../../test/raw-stream.ts';
import { type ServiceProcess, spawnSyncService, waitUntilReady } from '../../test/service-process.ts';
import { storageProblems } from '../../test/storage-invariants.ts';
import { openClient, type TestClient } from '../../test/test-client.ts';
import { waitFor } from '../../test/wait-for.ts';

/**
 * A deploy is a SIGTERM, a crash is a SIGKILL. The sync service runs as its own process while
 * writers keep Postgres busy (small transactions on inventory; 50-row inserts and deletes of
 * documents), and is stopped and started again, round after round, at a random point of the
 * write stream. After every stop, bucket storage holds nothing beyond the state row and each
 * bucket's totals match its oplog; after every start, a connected client and a new stream reach
 * checkpoints with writes committed after that start. Before the fix, a SIGTERM in the middle of
 * a write left ops beyond the state row and every later start failed on "ops_pkey" forever.
 *
 * SYNC_RESTART_ROUNDS (default 24) and SYNC_RESTART_SEED choose the run; the long run is in the README.
 */
const ROUNDS = Number(process.env.SYNC_RESTART_ROUNDS ?? 24);
const SEED = Number(process.env.SYNC_RESTART_SEED ?? 9);

let jwks: JwksServer;
let sql: pg.Pool;
let databaseUrl: string;
let port: number;
let client: TestClient;
let service: ServiceProcess | null = null;
let writers: LoadWriter[] = [];
const outputs: string[][] = [];

const url = () => `http://127.0.0.1:${port}`;

async function start(): Promise<ServiceProcess> {
  const started = spawnSyncService({
    DATABASE_URL: databaseUrl,
    SYNC_PORT: String(port),
    JWKS_URL: jwks.url,
    SYNC_COMPACT_INTERVAL_MS: '0',
  });
  outputs.push(started.output);
  service = started;
  // Generous: on a machine loaded many times over, starting a process alone can take a minute.
  await waitUntilReady(started, url(), 180_000).catch(async (error: Error) => {
    throw new Error(`${error.message}\n${await diagnosis(started)}`);
  });
  return started;
}

const committedStock = async () =>
  Number((await sql.query<{ n: string }>('SELECT sum(quantity) AS n FROM inventory')).rows[0]?.n);
const clientStock = async () =>
  Number((await client.rows<{ n: number }>('SELECT sum(quantity) AS n FROM inventory'))[0]?.n ?? 0);

/**
 * Waits until `done`. A wedged service makes no progress: this fails once neither the client's
 * stock nor the slot's confirmed position has moved for 30 s (or after 5 minutes in all). On a
 * busy machine, catching up with the WAL written while the service was down can take longer than
 * a fixed bound while it keeps moving.
 */
async function whileProgressing(done: () => Promise<boolean>): Promise<void> {
  const progress = async () => {
    const { rows } = await sql.query<{ lsn: string | null }>(
      'SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE database = current_database()',
    );
    return `${await clientStock()} ${rows.map((row) => row.lsn).join(',')}`;
  };
  const giveUp = Date.now() + 300_000;
  for (;;) {
    const seen = await progress();
    const moved = await waitFor(async () => (await done()) || (await progress()) !== seen, {
      timeoutMs: 30_000,
      intervalMs: 200,
      message: `progress (30 s without any from ${seen})`,
    });
    if (moved && (await done())) return;
    if (Date.now() > giveUp) throw new Error(`still moving after 5 minutes (${await progress()})`);
  }
}

/** What a test failure should show: the service's last lines and where the slot stands. */
async function diagnosis(current: ServiceProcess): Promise<string> {
  const { rows } = await sql.query(
    `SELECT active, restart_lsn::text, confirmed_flush_lsn::text, pg_current_wal_lsn()::text AS now
       FROM pg_replication_slots WHERE database = current_database()`,
  );
  const { rows: sessions } = await sql.query(
    `SELECT pid, application_name, state, wait_event_type, wait_event, left(query, 120) AS query
       FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
  );
  return `slot ${JSON.stringify(rows)}\nsessions ${JSON.stringify(sessions)}\n${current.output.join('').slice(-3000)}`;
}

beforeAll(async () => {
  databaseUrl = await createTestDatabase(inject('pgCluster'));
  await seedIfEmpty(databaseUrl, infraPaths.seed);
  jwks = await JwksServer.start();
  sql = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  port = await freePort();
  await start();
  client = await openClient({ endpoint: url(), token: () => jwks.sign({ sub: 'alice' }), record: false });
  await client.db.waitForFirstSync();
  writers = [
    startLoadWriter(databaseUrl, ['UPDATE inventory SET quantity = quantity + 1']),
    startLoadWriter(databaseUrl, [
      `INSERT INTO documents (id, title, body, version, created_by, created_at, updated_by, updated_at)
       SELECT gen_random_uuid(), 'load ' || g, repeat('x', 200), 1, 'alice', now(), 'alice', now()
         FROM generate_series(1, 50) g`,
      `DELETE FROM documents WHERE title LIKE 'load %'`,
    ]),
  ];
}, 120_000);

afterAll(async () => {
  await Promise.allSettled(writers.map((writer) => writer.stop()));
  await client?.close();
  await service?.kill('SIGTERM');
  const { rows } = await sql.query<{ slot_name: string }>(
    'SELECT slot_name FROM pg_replication_slots WHERE database = current_database() AND NOT active',
  );
  for (const { slot_name } of rows) await sql.query('SELECT pg_drop_replication_slot($1)', [slot_name]);
  await sql?.end();
  await jwks?.close();
}, 60_000);

it(
  `resumes after each of ${ROUNDS} SIGTERM/SIGKILL restarts under write load`,
  async () => {
    const random = prng(SEED);
    const stops = { SIGTERM: 0, SIGKILL: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const current = service ?? (await start());
      // The connected client reaches a checkpoint with writes committed after this start...
      const target = await committedStock();
      await whileProgressing(async () => (await clientStock()) >= target).catch(async (error: Error) => {
        throw new Error(
          `round ${round}: the client never reached stock ${target}: ${error.message}\n${await diagnosis(current)}`,
        );
      });
      // ...and so does a new connection (holding what is stored, it downloads only what comes
      // next), which then watches 0 to 3 more checkpoints go by: the stop lands anywhere.
      const { rows: held } = await sql.query<{ name: string; after: string }>(
        'SELECT bucket AS name, last_op_id::text AS after FROM powersync_storage.bucket_state',
      );
      const token = await jwks.sign({ sub: 'bob' });
      const stream = await openStream(url(), token, { client_id: `round-${round}`, buckets: held });
      try {
        let { index } = await stream.next('checkpoint_complete', 0, 30_000);
        for (let more = Math.floor(random() * 4); more > 0; more--) {
          ({ index } = await stream.next('checkpoint_complete', index + 1, 30_000));
        }
      } finally {
        stream.close();
      }

      const signal = round % 2 === 0 ? 'SIGTERM' : 'SIGKILL';
      const exit = await current.kill(signal);
      stops[signal] += 1;
      service = null;
      if (signal === 'SIGTERM') expect(exit, `round ${round}: a clean exit`).toEqual({ code: 0, signal: null });
      expect(await storageProblems(sql), `round ${round}, after ${signal}`).toEqual([]);
      if ((round + 1) % 25 === 0) console.info(`${round + 1} of ${ROUNDS} restarts, ${new Date().toISOString()}`);
    }
    await Promise.all(writers.map((writer) => writer.stop()));
    await (service ?? start());

    // Everything written reaches the client, with the exact values.
    const state = async (query: (text: string) => Promise<Record<string, unknown>[]>) =>
      JSON.stringify([
        await query('SELECT id, quantity FROM inventory ORDER BY id'),
        (await query(`SELECT count(*) AS n FROM documents WHERE title LIKE 'load %'`)).map((row) => Number(row.n)),
      ]);
    const expected = await state(async (text) => (await sql.query(text)).rows);
    await waitFor(async () => (await state((text) => client.rows(text))) === expected, {
      timeoutMs: 30_000,
      message: 'the client converging on Postgres',
    });
    expect(outputs.map((lines) => lines.join('')).join('')).not.toContain('duplicate key');
    expect(client.logs.filter((line) => line.includes("Checksums didn't match"))).toEqual([]);
    console.info(
      `${ROUNDS} restarts (${stops.SIGTERM} SIGTERM, ${stops.SIGKILL} SIGKILL, seed ${SEED}) under ` +
        `${writers.reduce((n, w) => n + w.committed, 0)} write transactions: every one resumed`,
    );
  },
  // About 10 s a round on a quiet machine, 25–30 s on one loaded many times over.
  60_000 + ROUNDS * 45_000,
);
