import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { seedIfEmpty } from '@cr/db';
import { createTestDatabase, startTestCluster, type TestCluster } from '@cr/db/testing';
import { infraPaths } from '@cr/infra';
import type pg from 'pg';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/env.ts';
import { createPool } from '../src/plugins/external/db.ts';
import { adapter, baseline, http, type Measured, measure } from './measure.ts';
import { type Batch, generateBatches, populate } from './workload.ts';

/**
 * Upload apply throughput and batch latency: the API (over HTTP, and its apply layer alone)
 * against the reference-style baseline, each on a fresh identical database, in the same run.
 *
 *   npm run bench -w @cr/api       (BENCH_SIZES=1,100,1000 by default)
 *
 * Writes bench/results/upload.json and bench/results/upload.md.
 */

const SIZES = (process.env.BENCH_SIZES ?? '1,100,1000').split(',').map(Number);
const BATCHES: Record<number, number> = { 1: 500, 10: 300, 100: 40, 1000: 18 };
const CONCURRENT_CLIENTS = 4;
const WARMUP = 3;

interface Row {
  batchSize: number;
  clients: number;
  http: Measured;
  adapter: Measured | null;
  baseline: Measured;
  autocommit: Measured | null;
  outcomes: Record<string, number>;
}

async function withDatabase<T>(cluster: TestCluster, run: (pool: pg.Pool, url: string) => Promise<T>): Promise<T> {
  const url = await createTestDatabase(cluster);
  await seedIfEmpty(url, infraPaths.seed);
  const pool = createPool(url, CONCURRENT_CLIENTS + 2);
  try {
    await populate(pool);
    return await run(pool, url);
  } finally {
    await pool.end();
  }
}

async function overHttp(url: string, clients: Batch[][], outcomes: Record<string, number>): Promise<Measured> {
  const config = loadConfig({ DATABASE_URL: url, API_BODY_LIMIT: String(64 * 1024 * 1024) });
  const app = await buildApp({ config, startWorker: false });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const tokens: Record<string, string> = {};
    for (const user of ['carol', 'dan'])
      tokens[user] = (await app.auth.sign({ id: user, name: user, role: user === 'dan' ? 'doctor' : 'manager' })).token;
    return await measure(clients, http(address, tokens, outcomes), WARMUP);
  } finally {
    await app.close();
  }
}

function workload(size: number, clients: number, count: number): Batch[][] {
  return Array.from({ length: clients }, (_, client) => generateBatches(size, count + WARMUP, { client, clients }));
}

async function scenario(cluster: TestCluster, size: number, clients: number): Promise<Row> {
  const count = clients === 1 ? (BATCHES[size] ?? 20) : Math.ceil((BATCHES[size] ?? 20) / clients) + 2;
  const outcomes: Record<string, number> = {};
  const httpResult = await withDatabase(cluster, (_pool, url) =>
    overHttp(url, workload(size, clients, count), outcomes),
  );
  const adapterResult =
    clients === 1
      ? await withDatabase(cluster, (pool) => measure(workload(size, 1, count), adapter(pool), WARMUP))
      : null;
  const baselineResult = await withDatabase(cluster, (pool) =>
    measure(workload(size, clients, count), baseline(pool, 'transaction'), WARMUP),
  );
  const autocommitCount = Math.max(3, Math.ceil(count / 4));
  const autocommit =
    clients === 1
      ? await withDatabase(cluster, (pool) =>
          measure(workload(size, 1, autocommitCount), baseline(pool, 'autocommit'), 1),
        )
      : null;
  return {
    batchSize: size,
    clients,
    http: httpResult,
    adapter: adapterResult,
    baseline: baselineResult,
    autocommit,
    outcomes,
  };
}

const ops = (m: Measured | null) => (m ? m.opsPerSecond.toFixed(0) : '–');
const ms = (m: Measured | null, key: 'p50Ms' | 'p95Ms') => (m ? m[key].toFixed(1) : '–');
const ratio = (a: Measured | null, b: Measured) => (a ? `${(a.opsPerSecond / b.opsPerSecond).toFixed(1)}×` : '–');

const cluster = await startTestCluster({ migrationsDir: infraPaths.migrations });
const rows: Row[] = [];
try {
  for (const size of SIZES) rows.push(await scenario(cluster, size, 1));
  for (const size of SIZES.filter((s) => s >= 100)) rows.push(await scenario(cluster, size, CONCURRENT_CLIENTS));
  for (const r of rows) {
    console.log(
      `batch ${r.batchSize} × ${r.clients} client(s): HTTP ${ops(r.http)} ops/s (p50 ${ms(r.http, 'p50Ms')} ms), ` +
        `apply ${ops(r.adapter)} ops/s | baseline ${ops(r.baseline)} ops/s, autocommit ${ops(r.autocommit)} ops/s`,
    );
  }
} finally {
  await cluster.stop();
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, embedded Postgres 18 on loopback`;
const markdown = [
  '# Upload apply benchmark',
  '',
  `Command: \`npm run bench -w @cr/api\` · ${new Date().toISOString()} · ${machine}`,
  '',
  'Mixed workload over all strategies: task and document edits (10 % stale, recorded as conflicts), order edits',
  '(10 % illegal transitions, recorded as rejections), inventory deltas, new field changes, and every sixth batch a',
  "doctor's patient edits (field-level LWW). Each figure on a fresh, identical database.",
  '',
  '- **HTTP**: `POST /api/data` on loopback (JSON, token check, validation, apply, response).',
  '- **apply**: the same apply layer called directly, comparable with the baseline function.',
  '- **baseline (tx)**: the reference complete example: per operation one SELECT and one UPDATE/INSERT round trip,',
  '  one transaction per batch, no ledger, no locks. **baseline (autocommit)**: the reference strategy snippets as',
  '  written, every statement committed on its own.',
  '',
  '| batch size | clients | HTTP ops/s | HTTP p50 ms | HTTP p95 ms | apply ops/s | baseline (tx) ops/s | baseline p50 ms | baseline (autocommit) ops/s | HTTP ÷ baseline (tx) | apply ÷ baseline (tx) | HTTP ÷ autocommit |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.batchSize} | ${r.clients} | ${ops(r.http)} | ${ms(r.http, 'p50Ms')} | ${ms(r.http, 'p95Ms')} | ${ops(r.adapter)} | ` +
      `${ops(r.baseline)} | ${ms(r.baseline, 'p50Ms')} | ${ops(r.autocommit)} | ${ratio(r.http, r.baseline)} | ` +
      `${ratio(r.adapter, r.baseline)} | ${r.autocommit ? ratio(r.http, r.autocommit) : '–'} |`,
  ),
  '',
  `Outcomes over HTTP: ${rows.map((r) => `batch ${r.batchSize}×${r.clients}: ${JSON.stringify(r.outcomes)}`).join('; ')}`,
  '',
].join('\n');
const dir = new URL('./results/', import.meta.url);
await mkdir(dir, { recursive: true });
await writeFile(
  new URL('upload.json', dir),
  `${JSON.stringify({ machine, at: new Date().toISOString(), rows }, null, 2)}\n`,
);
await writeFile(new URL('upload.md', dir), markdown);
console.log(`\n${markdown}`);
