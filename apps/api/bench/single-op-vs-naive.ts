import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { seedIfEmpty } from '@cr/db';
import { createTestDatabase, startTestCluster, type TestCluster } from '@cr/db/testing';
import { infraPaths } from '@cr/infra';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/env.ts';
import { createPool } from '../src/plugins/external/db.ts';
import { adapter, baseline } from './measure.ts';
import { buildNaiveServer } from './naive-server.ts';
import { type Batch, generateBatches, populate } from './workload.ts';

/**
 * One-operation uploads, ours against the reference snippets' way, interleaved in one run:
 *
 *   npm run bench:single-op-http -w @cr/api     (BENCH_ROUNDS=6, BENCH_PER_ROUND=250 by default)
 *
 * - over HTTP: `POST /api/data` of the API against the naive endpoint (bench/naive-server.ts):
 *   both Fastify, same token verification, same body, one client sending one request at a time;
 * - in process: the upload engine's apply layer against the naive function (bench/baseline.ts).
 * Each contender has a fresh, identical database and applies the same operations in the same
 * order; the rounds alternate which contender goes first. Writes bench/results/single-op-http.{md,json}.
 */

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const PER_ROUND = Number(process.env.BENCH_PER_ROUND ?? 250);
const WARMUP = 50;

type Send = (batch: Batch) => Promise<Record<string, number>>;
interface Contender {
  name: string;
  send: Send;
  latencies: number[];
  seconds: number;
  /** This process's CPU time (user + system), microseconds: client and server, for the HTTP rows. */
  cpuMicros: number;
  perRound: number[];
  outcomes: Record<string, number>;
}

async function database(cluster: TestCluster, pools: pg.Pool[]): Promise<{ pool: pg.Pool; url: string }> {
  const url = await createTestDatabase(cluster);
  await seedIfEmpty(url, infraPaths.seed);
  const pool = createPool(url, 4);
  pools.push(pool);
  await populate(pool);
  return { pool, url };
}

const overHttp =
  (address: string, tokens: Record<string, string>): Send =>
  async (batch) => {
    const response = await fetch(`${address}/api/data`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[batch.user]}` },
      body: JSON.stringify({ client_id: `bench-single-${batch.user}`, batch: batch.entries }),
    });
    const result = (await response.json()) as { outcomes: { status: string }[] };
    if (response.status !== 200) throw new Error(`upload failed: ${response.status} ${JSON.stringify(result)}`);
    const counts: Record<string, number> = {};
    for (const o of result.outcomes) counts[o.status] = (counts[o.status] ?? 0) + 1;
    return counts;
  };

async function listen(app: FastifyInstance): Promise<{ address: string; tokens: Record<string, string> }> {
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const tokens: Record<string, string> = {};
  for (const user of ['carol', 'dan'])
    tokens[user] = (await app.auth.sign({ id: user, name: user, role: user === 'dan' ? 'doctor' : 'manager' })).token;
  return { address, tokens };
}

async function runRound(contender: Contender, batches: Batch[]): Promise<void> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (const batch of batches) {
    const t0 = performance.now();
    const counts = await contender.send(batch);
    contender.latencies.push(performance.now() - t0);
    for (const [k, v] of Object.entries(counts)) contender.outcomes[k] = (contender.outcomes[k] ?? 0) + v;
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  contender.cpuMicros += used.user + used.system;
  contender.seconds += seconds;
  contender.perRound.push(batches.length / seconds);
}

const contender = (name: string, send: Send): Contender => ({
  name,
  send,
  latencies: [],
  seconds: 0,
  cpuMicros: 0,
  perRound: [],
  outcomes: {},
});

function summary(c: Contender) {
  const sorted = [...c.latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    name: c.name,
    ops: c.latencies.length,
    opsPerSecond: c.latencies.length / c.seconds,
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    cpuMsPerOp: c.cpuMicros / 1000 / c.latencies.length,
    perRound: c.perRound.map((x) => Math.round(x)).join(', '),
    outcomes: c.outcomes,
  };
}

const batches = generateBatches(1, WARMUP + ROUNDS * PER_ROUND);
const loadBefore = loadavg();
const cluster = await startTestCluster({ migrationsDir: infraPaths.migrations });
const pools: pg.Pool[] = [];
const apps: FastifyInstance[] = [];
let pairs: [Contender, Contender][] = [];
try {
  const ours = await database(cluster, pools);
  const naive = await database(cluster, pools);
  const apply = await database(cluster, pools);
  const naiveFn = await database(cluster, pools);
  const oursConfig = loadConfig({ DATABASE_URL: ours.url });
  const oursApp = await buildApp({ config: oursConfig, pool: ours.pool, startWorker: false });
  apps.push(oursApp);
  const naiveApp = await buildNaiveServer(loadConfig({ DATABASE_URL: naive.url }), naive.pool);
  apps.push(naiveApp);
  const o = await listen(oursApp);
  const n = await listen(naiveApp);
  const applyLayer = adapter(apply.pool);
  const naiveLayer = baseline(naiveFn.pool, 'transaction');
  pairs = [
    [
      contender('ours, HTTP (POST /api/data)', overHttp(o.address, o.tokens)),
      contender('naive, HTTP (SELECT … FOR UPDATE + UPDATE endpoint)', overHttp(n.address, n.tokens)),
    ],
    [
      contender('ours, in process (apply layer)', async (b) => {
        await applyLayer(b, 0);
        return {};
      }),
      contender('naive, in process (SELECT + UPDATE function)', async (b) => {
        await naiveLayer(b);
        return {};
      }),
    ],
  ];
  for (const pair of pairs) for (const c of pair) for (const b of batches.slice(0, WARMUP)) await c.send(b);
  for (const pair of pairs) for (const c of pair) c.outcomes = {};
  for (let r = 0; r < ROUNDS; r++) {
    const slice = batches.slice(WARMUP + r * PER_ROUND, WARMUP + (r + 1) * PER_ROUND);
    for (const pair of pairs) {
      const order = r % 2 === 0 ? pair : [pair[1], pair[0]];
      for (const c of order) await runRound(c, slice);
    }
  }
} finally {
  for (const app of apps) await app.close();
  for (const pool of pools) await pool.end();
  await cluster.stop();
}
const loadAfter = loadavg();

const rows = pairs.map(([a, b]) => [summary(a), summary(b)] as const);
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, embedded Postgres 18 on loopback`;
const load = `load average (1 min) ${loadBefore[0]?.toFixed(1)} before, ${loadAfter[0]?.toFixed(1)} after`;
const line = (s: ReturnType<typeof summary>, vs: ReturnType<typeof summary>) =>
  `| ${s.name} | ${s.opsPerSecond.toFixed(0)} | ${s.p50Ms.toFixed(2)} | ${s.p95Ms.toFixed(2)} | ` +
  `${(s.opsPerSecond / vs.opsPerSecond).toFixed(2)}× | ${(vs.p50Ms / s.p50Ms).toFixed(2)}× | ${s.cpuMsPerOp.toFixed(2)} | ` +
  `${s.perRound} |`;
const markdown = [
  '# One-operation uploads: ours against the naive way, interleaved',
  '',
  `Command: \`npm run bench:single-op-http -w @cr/api\` · ${new Date().toISOString()} · ${machine} · ${load}`,
  '',
  `${ROUNDS} rounds of ${PER_ROUND} one-operation uploads per contender after ${WARMUP} warm-up uploads, one client,`,
  "one request at a time; the rounds alternate which contender goes first. The upload benchmark's mixed workload",
  '(bench/workload.ts); each contender on a fresh, identical database, the same operations in the same order.',
  '',
  '- **HTTP rows**: both are Fastify servers on loopback with the same token verification and JSON body. The naive',
  '  endpoint (bench/naive-server.ts) runs per request BEGIN, per operation SELECT … FOR UPDATE and one',
  '  UPDATE/INSERT, COMMIT: no ledger (not idempotent), no validation, no rules, no merge.',
  "- **in-process rows**: the upload engine's apply layer called directly against the same naive function without",
  '  the row lock (bench/baseline.ts): no HTTP, no JSON, no auth on either side.',
  '- "CPU ms / op": this process\'s CPU time (user + system) per upload, the figure load moves least; for the',
  '  HTTP rows it includes the sending client (the same for both). Postgres runs in processes of its own.',
  '- "× naive" compares each of ours with the naive row of the same kind (ops/s ratio, and naive p50 ÷ our p50).',
  '',
  '| contender | ops/s | p50 ms | p95 ms | ops/s × naive | p50 × naive | CPU ms / op | ops/s per round |',
  '|---|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.flatMap(([a, b]) => [line(a, b), line(b, b)]),
  '',
  `Outcomes: ${rows.flatMap((r) => r.map((s) => `${s.name}: ${JSON.stringify(s.outcomes)}`)).join('; ')}`,
  '',
].join('\n');
const dir = new URL('./results/', import.meta.url);
await mkdir(dir, { recursive: true });
await writeFile(
  new URL('single-op-http.json', dir),
  `${JSON.stringify({ machine, load: { before: loadBefore[0], after: loadAfter[0] }, at: new Date().toISOString(), rows }, null, 2)}\n`,
);
await writeFile(new URL('single-op-http.md', dir), markdown);
console.log(markdown);
