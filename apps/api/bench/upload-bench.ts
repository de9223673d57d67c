import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { seedIfEmpty } from '@cr/db';
import { createTestDatabase, startTestCluster } from '@cr/db/testing';
import { infraPaths } from '@cr/infra';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/env.ts';
import { createPool } from '../src/plugins/external/db.ts';
import { applyBaseline } from './baseline.ts';
import { type Batch, generateBatches, populate } from './workload.ts';

/**
 * Upload apply throughput and batch latency, through the real HTTP endpoint, against the
 * reference-style baseline on an identical database, in the same run.
 *
 *   npm run bench -w @cr/api            (BENCH_SIZES=1,100,1000 by default)
 *
 * Writes bench/results/upload.json and bench/results/upload.md.
 */

const SIZES = (process.env.BENCH_SIZES ?? '1,100,1000').split(',').map(Number);
const BATCHES: Record<number, number> = { 1: 600, 10: 300, 100: 60, 1000: 24 };
const WARMUP = 3;

interface Measured {
  ops: number;
  seconds: number;
  opsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
}

function summarize(latencies: number[], ops: number): Measured {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const seconds = latencies.reduce((a, b) => a + b, 0) / 1000;
  return { ops, seconds, opsPerSecond: ops / seconds, p50Ms: at(0.5), p95Ms: at(0.95) };
}

async function freshDatabase(cluster: Awaited<ReturnType<typeof startTestCluster>>): Promise<string> {
  const url = await createTestDatabase(cluster);
  await seedIfEmpty(url, infraPaths.seed);
  const pool = createPool(url, 2);
  await populate(pool);
  await pool.end();
  return url;
}

async function runApi(
  url: string,
  batches: Batch[],
): Promise<{ measured: Measured; outcomes: Record<string, number> }> {
  const app = await buildApp({
    config: loadConfig({ DATABASE_URL: url, API_BODY_LIMIT: String(64 * 1024 * 1024) }),
    startWorker: false,
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const tokens: Record<string, string> = {};
  for (const user of ['carol', 'dan']) {
    const response = await fetch(`${address}/api/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user }),
    });
    tokens[user] = ((await response.json()) as { token: string }).token;
  }
  const outcomes: Record<string, number> = {};
  const latencies: number[] = [];
  let ops = 0;
  for (const [i, batch] of batches.entries()) {
    const body = JSON.stringify({ client_id: `bench-${batch.entries.length}`, batch: batch.entries });
    const started = performance.now();
    const response = await fetch(`${address}/api/data`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[batch.user]}` },
      body,
    });
    const result = (await response.json()) as { outcomes: { status: string }[] };
    const elapsed = performance.now() - started;
    if (response.status !== 200) throw new Error(`upload failed: ${response.status} ${JSON.stringify(result)}`);
    if (i < WARMUP) continue;
    latencies.push(elapsed);
    ops += batch.entries.length;
    for (const o of result.outcomes) outcomes[o.status] = (outcomes[o.status] ?? 0) + 1;
  }
  await app.close();
  return { measured: summarize(latencies, ops), outcomes };
}

async function runBaseline(url: string, batches: Batch[]): Promise<Measured> {
  const pool = createPool(url, 2);
  const latencies: number[] = [];
  let ops = 0;
  for (const [i, batch] of batches.entries()) {
    const started = performance.now();
    await applyBaseline(pool, batch);
    const elapsed = performance.now() - started;
    if (i < WARMUP) continue;
    latencies.push(elapsed);
    ops += batch.entries.length;
  }
  await pool.end();
  return summarize(latencies, ops);
}

const cluster = await startTestCluster({ migrationsDir: infraPaths.migrations });
const rows: Array<{
  batchSize: number;
  api: Measured;
  baseline: Measured;
  speedup: number;
  outcomes: Record<string, number>;
}> = [];
try {
  for (const size of SIZES) {
    const batches = generateBatches(size, (BATCHES[size] ?? 20) + WARMUP);
    const api = await runApi(await freshDatabase(cluster), batches);
    const baseline = await runBaseline(await freshDatabase(cluster), batches);
    const row = {
      batchSize: size,
      api: api.measured,
      baseline,
      speedup: api.measured.opsPerSecond / baseline.opsPerSecond,
      outcomes: api.outcomes,
    };
    rows.push(row);
    console.log(
      `batch ${size}: API ${row.api.opsPerSecond.toFixed(0)} ops/s (p50 ${row.api.p50Ms.toFixed(1)} ms, p95 ${row.api.p95Ms.toFixed(1)} ms)` +
        ` | baseline ${baseline.opsPerSecond.toFixed(0)} ops/s (p50 ${baseline.p50Ms.toFixed(1)} ms) | ${row.speedup.toFixed(1)}x`,
    );
  }
} finally {
  await cluster.stop();
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, embedded Postgres 18`;
const markdown = [
  '# Upload apply benchmark',
  '',
  `Command: \`npm run bench -w @cr/api\` · ${new Date().toISOString()} · ${machine}`,
  '',
  'Mixed workload over all strategies (tasks, documents, orders, inventory, field changes, patients; 10 % stale edits',
  'recorded as conflicts, 10 % illegal order transitions recorded as rejections), sequential batches from one client,',
  'through HTTP on loopback. Baseline: the same operations applied reference-style, one SELECT and one UPDATE round trip',
  'per operation, one transaction per batch (no ledger, no locks).',
  '',
  '| batch size | API ops/s | API p50 ms | API p95 ms | baseline ops/s | baseline p50 ms | baseline p95 ms | speed-up |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.batchSize} | ${r.api.opsPerSecond.toFixed(0)} | ${r.api.p50Ms.toFixed(1)} | ${r.api.p95Ms.toFixed(1)} | ` +
      `${r.baseline.opsPerSecond.toFixed(0)} | ${r.baseline.p50Ms.toFixed(1)} | ${r.baseline.p95Ms.toFixed(1)} | ${r.speedup.toFixed(1)}× |`,
  ),
  '',
  `Outcomes (API): ${rows.map((r) => `batch ${r.batchSize}: ${JSON.stringify(r.outcomes)}`).join('; ')}`,
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
