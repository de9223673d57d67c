import pg from 'pg';
import { JwksServer } from '../../test/jwks-server.ts';
import { openStream } from '../../test/raw-stream.ts';
import { openClient } from '../../test/test-client.ts';
import { startSyncChild } from '../bench-stack.ts';
import { type BenchResult, below } from '../result.ts';
import { median } from '../stats.ts';

const ROWS = 100_000;
const RUNS = 3;

/**
 * A fresh @powersync/node client downloads 100,000 rows (plus the seed): from `connect()` until
 * `waitForFirstSync()` resolves with every row in its local table. Three runs, median reported.
 */
export async function initialSyncBench(database: () => Promise<string>): Promise<BenchResult[]> {
  const databaseUrl = await database();
  const setup = new pg.Client({ connectionString: databaseUrl });
  await setup.connect();
  await setup.query(
    `INSERT INTO tasks (id, title, description, status, priority, created_by, created_at, modified_at, modified_by)
     SELECT gen_random_uuid(), 'Task number ' || n, 'A description of task ' || n || ' long enough to be realistic.',
            'todo', 1 + n % 5, 'carol', now(), now(), 'carol'
       FROM generate_series(1, ${ROWS}) AS n`,
  );
  await setup.end();
  const jwks = await JwksServer.start();
  const snapshotStarted = performance.now();
  // Its own process, as in production: the client's work does not share the server's event loop.
  const sync = await startSyncChild(databaseUrl, jwks.url);
  const snapshotMs = performance.now() - snapshotStarted;
  try {
    const expected = ROWS + 4;
    const runs: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      const client = await openClient({ endpoint: sync.url, token: () => jwks.sign(), record: false });
      await client.db.waitForFirstSync();
      const elapsed = performance.now() - started;
      const [row] = await client.rows<{ n: number }>('SELECT count(*) AS n FROM tasks');
      await client.close();
      if (row?.n !== expected) throw new Error(`the client holds ${row?.n} tasks, expected ${expected}`);
      runs.push(elapsed);
    }
    const rawStarted = performance.now();
    const raw = await openStream(sync.url, await jwks.sign());
    await raw.next('checkpoint_complete', 0, 120_000);
    const rawMs = performance.now() - rawStarted;
    raw.close();

    const value = Math.round(median(runs));
    return [
      {
        scenario: 'initial-sync',
        metric: 'initial sync of 100,000 rows into a fresh Node client (ms)',
        value,
        unit: 'ms',
        ...below(value, 5000),
        details: {
          rows: expected,
          runsMs: runs.map(Math.round),
          opsPerSecond: Math.round(expected / (value / 1000)),
          serverOnlyMs: Math.round(rawMs),
          snapshotMs: Math.round(snapshotMs),
          snapshotRowsPerSecond: Math.round((ROWS + 25) / (snapshotMs / 1000)),
        },
      },
    ];
  } finally {
    await sync.stop();
    await jwks.close();
  }
}
