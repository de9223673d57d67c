import pg from 'pg';
import { JwksServer } from '../../test/jwks-server.ts';
import { openStream } from '../../test/raw-stream.ts';
import { openClient } from '../../test/test-client.ts';
import { PeakMemory, startSyncChild } from '../bench-stack.ts';
import { type BenchResult, below } from '../result.ts';
import { median } from '../stats.ts';
import { countInitialSync } from '../wire-bytes.ts';

const SDK_ACCEPT = 'application/vnd.powersync.bson-stream;q=0.9,application/x-ndjson;q=0.8';
const MB = 1024 * 1024;

/**
 * A fresh @powersync/node client downloads 100,000 rows (plus the seed): from `connect()` until
 * `waitForFirstSync()` resolves with every row in its local table. Three runs, median reported.
 */
export function initialSyncBench(database: () => Promise<string>): Promise<BenchResult[]> {
  return initialSync(database, 100_000, 3);
}

/** The 120,000-row run of the issue, for the service's memory (one client). */
export async function memoryBench(database: () => Promise<string>): Promise<BenchResult[]> {
  const results = await initialSync(database, 120_000, 1);
  return results.filter((r) => r.unit === 'MB' && r.metric.includes('RSS'));
}

async function initialSync(database: () => Promise<string>, rows: number, clientRuns: number): Promise<BenchResult[]> {
  const label = rows.toLocaleString('en-US');
  const databaseUrl = await database();
  const setup = new pg.Client({ connectionString: databaseUrl });
  await setup.connect();
  await setup.query(
    `INSERT INTO tasks (id, title, description, status, priority, created_by, created_at, modified_at, modified_by)
     SELECT gen_random_uuid(), 'Task number ' || n, 'A description of task ' || n || ' long enough to be realistic.',
            'todo', 1 + n % 5, 'carol', now(), now(), 'carol'
       FROM generate_series(1, ${rows}) AS n`,
  );
  await setup.end();
  const jwks = await JwksServer.start();
  const snapshotStarted = performance.now();
  // Its own process, as in production: the client's work does not share the server's event loop.
  const memory = new PeakMemory();
  const sync = await startSyncChild(databaseUrl, jwks.url, undefined, (rss) => memory.start(rss));
  const snapshotMs = performance.now() - snapshotStarted;
  const snapshotPeak = memory.peak;
  try {
    const expected = rows + 4;
    const runs: number[] = [];
    for (let run = 0; run < clientRuns; run++) {
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

    // Bytes on the wire for the same download in each encoding (the SDK gets BSON + gzip).
    const wire: Record<string, { MB: number; ms: number }> = {};
    for (const [name, accept, encoding] of [
      ['ndjson', 'application/x-ndjson', 'identity'],
      ['ndjson+gzip', 'application/x-ndjson', 'gzip, deflate'],
      ['bson', SDK_ACCEPT, 'identity'],
      ['bson+gzip (SDK)', SDK_ACCEPT, 'gzip, deflate'],
    ] as const) {
      const count = await countInitialSync(sync.url, await jwks.sign(), accept, encoding);
      wire[name] = { MB: Math.round((count.wireBytes / MB) * 10) / 10, ms: Math.round(count.ms) };
    }
    const peakRss = memory.stop();

    const value = Math.round(median(runs));
    const sdkBytes = wire['bson+gzip (SDK)']?.MB ?? 0;
    return [
      {
        scenario: 'initial-sync',
        metric: `bytes on the wire for the initial sync of ${label} rows, as the SDK asks (BSON + gzip) (MB)`,
        value: sdkBytes,
        unit: 'MB',
        ...below(sdkBytes, 15),
        details: wire,
      },
      {
        scenario: 'initial-sync',
        metric: `sync service peak RSS, snapshot of ${label} rows and ${clientRuns + 5} initial syncs (MB)`,
        value: Math.round(peakRss / MB),
        unit: 'MB',
        ...below(Math.round(peakRss / MB), 250),
        details: { snapshotPeakMB: Math.round(snapshotPeak / MB) },
      },
      {
        scenario: 'initial-sync',
        metric: `initial sync of ${label} rows into a fresh Node client (ms)`,
        value,
        unit: 'ms',
        ...below(value, 5000),
        details: {
          rows: expected,
          runsMs: runs.map(Math.round),
          opsPerSecond: Math.round(expected / (value / 1000)),
          serverOnlyMs: Math.round(rawMs),
          snapshotMs: Math.round(snapshotMs),
          snapshotRowsPerSecond: Math.round((rows + 25) / (snapshotMs / 1000)),
        },
      },
    ];
  } finally {
    await sync.stop();
    await jwks.close();
  }
}
