import pg from 'pg';
import { parseLsn } from '../../src/pg/lsn.ts';
import { JwksServer } from '../../test/jwks-server.ts';
import { type ChildService, startSyncChild } from '../bench-stack.ts';
import { type LineClient, openLineClient } from '../line-client.ts';
import type { BenchResult } from '../result.ts';

const ROWS = 20_000;
const TRANSACTIONS = 1_000;
const STREAMS = 50;
const TARGET = 4_300; // the official service on this machine (issue 13), rows/s

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function checkpointLsn(sync: ChildService): Promise<bigint> {
  const health = (await (await fetch(`${sync.url}/health`)).json()) as { checkpoint: { lsn: string } | null };
  return health.checkpoint ? parseLsn(health.checkpoint.lsn) : 0n;
}

interface Round {
  rowsPerSecond: number;
  /** Until the service's checkpoint covered the last commit. */
  caughtUpMs: number;
  /** Until every connected stream had received `checkpoint_complete` for it (0 streams: same as caught up). */
  deliveredMs: number;
}

/**
 * Backlog catch-up (issue 13): the service is paused (SIGSTOP) while 20,000 rows are committed in
 * 1,000 transactions, then resumed (SIGCONT); the clock runs from the resume until its checkpoint
 * covers the last commit (read from /health), and until every connected stream has the complete
 * checkpoint. Once with no stream connected, once with 50, in the same run on the same service.
 */
/** Streams with what they saw of the current round's last row. */
interface Watched {
  client: LineClient;
  /** `completed` when the round's last row arrived; -1 before. */
  markerAt: number;
}

/** The title of the round's last row as it appears in a data line (a JSON string inside JSON). */
const marker = (tag: string) => `${tag}-${TRANSACTIONS - 1}-${ROWS / TRANSACTIONS}\\"`;

async function round(sync: ChildService, pool: pg.Pool, streams: Watched[], tag: string): Promise<Round> {
  for (const stream of streams) stream.markerAt = -1;
  process.kill(sync.pid, 'SIGSTOP');
  try {
    const perTransaction = ROWS / TRANSACTIONS;
    for (let t = 0; t < TRANSACTIONS; t++) {
      await pool.query(
        `INSERT INTO tasks (id, title, description, created_by, created_at, modified_at, modified_by)
         SELECT gen_random_uuid(), $1 || '-' || $2::int || '-' || n, 'backlog', 'carol', now(), now(), 'carol'
           FROM generate_series(1, $3::int) AS n`,
        [tag, t, perTransaction],
      );
    }
  } catch (error) {
    process.kill(sync.pid, 'SIGCONT');
    throw error;
  }
  const { rows } = await pool.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
  const target = parseLsn(rows[0]?.lsn ?? '0/0');
  const started = performance.now();
  process.kill(sync.pid, 'SIGCONT');
  await until(async () => (await checkpointLsn(sync)) >= target, 300_000, 'catch-up');
  const caughtUpMs = performance.now() - started;
  // A stream has everything once it completes the checkpoint that brought the last row.
  await until(() => streams.every((s) => s.markerAt >= 0 && s.client.completed > s.markerAt), 600_000, 'every stream');
  const deliveredMs = performance.now() - started;
  return {
    rowsPerSecond: Math.round(ROWS / (caughtUpMs / 1000)),
    caughtUpMs: Math.round(caughtUpMs),
    deliveredMs: Math.round(deliveredMs),
  };
}

export async function backlogBench(database: () => Promise<string>): Promise<BenchResult[]> {
  const databaseUrl = await database();
  const jwks = await JwksServer.start();
  const sync = await startSyncChild(databaseUrl, jwks.url);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const streams: Watched[] = [];
  let tag = 'alone';
  try {
    const alone = await round(sync, pool, [], tag);
    tag = 'connected';
    for (let i = 0; i < STREAMS; i++) {
      const token = await jwks.sign({ sub: `user-${i}`, role: 'clerk' });
      const watched: Watched = { client: { completed: 0, close: () => {} }, markerAt: -1 };
      watched.client = await openLineClient(sync.url, token, (line) => {
        if (watched.markerAt < 0 && line.startsWith('{"data"') && line.includes(marker(tag))) {
          watched.markerAt = watched.client.completed;
        }
      });
      streams.push(watched);
    }
    await until(() => streams.every((s) => s.client.completed >= 1), 120_000, 'every stream to sync');
    const connected = await round(sync, pool, streams, tag);
    const value = connected.rowsPerSecond;
    return [
      {
        scenario: 'backlog',
        metric: `backlog catch-up with ${STREAMS} connected streams, ${ROWS.toLocaleString('en-US')} rows in ${TRANSACTIONS.toLocaleString('en-US')} transactions (rows/s)`,
        value,
        unit: 'rows/s',
        target: `≥ ${TARGET} and ≥ the rate with no stream (${alone.rowsPerSecond})`,
        pass: value >= TARGET && value >= alone.rowsPerSecond,
        details: { noStreams: alone, withStreams: connected, streams: STREAMS },
      },
    ];
  } finally {
    for (const stream of streams) stream.client.close();
    await pool.end();
    await sync.stop();
    await jwks.close();
  }
}
