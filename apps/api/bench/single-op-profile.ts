import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { seedIfEmpty } from '@cr/db';
import { createTestDatabase, startTestCluster } from '@cr/db/testing';
import { infraPaths } from '@cr/infra';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/env.ts';
import { createPool } from '../src/plugins/external/db.ts';
import { generateBatches, populate } from './workload.ts';

/**
 * Where a one-operation upload's time goes, over HTTP on loopback: the request's phases (Fastify
 * hooks: authentication, body parsing and validation, the engine, the answer) and each Postgres
 * round trip the engine makes (timed around `pg.Client.query`). Median per request.
 *
 *   npm run bench:single-op -w @cr/api        (writes bench/results/single-op-profile.md)
 */

const REQUESTS = Number(process.env.PROFILE_REQUESTS ?? 600);
const WARMUP = 50;

type Phase =
  | 'auth + read + parse body'
  | 'size check + validation'
  | 'engine'
  | 'answer'
  | 'server total'
  | 'client total';
const samples = new Map<string, number[]>();
const add = (name: string, ms: number) => {
  const list = samples.get(name) ?? [];
  list.push(ms);
  samples.set(name, list);
};

// Each Postgres round trip, by the statement's kind, summed per request.
let current: Map<string, number> | null = null;
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function timedQuery(this: pg.Client, ...args: unknown[]) {
  const first = args[0] as string | { text?: string };
  const text = typeof first === 'string' ? first : (first?.text ?? '');
  const kind = statementKind(text);
  const result = query.apply(this, args);
  const started = performance.now();
  const trips = current;
  if (trips && result instanceof Promise) {
    result.then(
      () => trips.set(kind, (trips.get(kind) ?? 0) + performance.now() - started),
      () => {},
    );
  }
  return result;
} as typeof pg.Client.prototype.query;

const connect = pg.Pool.prototype.connect as (...args: unknown[]) => unknown;
pg.Pool.prototype.connect = function timedConnect(this: pg.Pool, ...args: unknown[]) {
  const started = performance.now();
  const trips = current;
  const result = connect.apply(this, args);
  if (trips && result instanceof Promise)
    result.then(
      () => trips.set('pool: connect', (trips.get('pool: connect') ?? 0) + performance.now() - started),
      () => {},
    );
  return result;
} as typeof pg.Pool.prototype.connect;

function statementKind(text: string): string {
  const t = text.trim().slice(0, 200);
  if (/^(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)/i.test(t)) return `pg: ${t.split(/\s/)[0]?.toUpperCase()}`;
  if (/FOR UPDATE/i.test(text) || /applied_operations WHERE/i.test(text)) return 'pg: ledger read + row load';
  if (/^WITH|INSERT|UPDATE|DELETE/i.test(t)) return 'pg: write (rows + ledger)';
  return 'pg: other';
}

async function main() {
  const cluster = await startTestCluster({ migrationsDir: infraPaths.migrations });
  try {
    const url = await createTestDatabase(cluster);
    await seedIfEmpty(url, infraPaths.seed);
    const pool = createPool(url, 4);
    await populate(pool);
    await pool.end();
    const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'warn' });
    const app = await buildApp({ config, startWorker: false });
    const marks = new WeakMap<object, Record<string, number>>();
    const mark = (request: object, name: string) => {
      const m = marks.get(request) ?? {};
      m[name] = performance.now();
      marks.set(request, m);
    };
    app.addHook('onRequest', async (request) => mark(request, 'start'));
    app.addHook('preValidation', async (request) => mark(request, 'parsed'));
    app.addHook('preHandler', async (request) => mark(request, 'validated'));
    app.addHook('onSend', async (request) => mark(request, 'handled'));
    app.addHook('onResponse', async (request) => {
      mark(request, 'sent');
      const m = marks.get(request) ?? {};
      if (!request.url.startsWith('/api/data') || !current) return;
      const span = (a: string, b: string) => (m[b] ?? 0) - (m[a] ?? 0);
      record({
        'auth + read + parse body': span('start', 'parsed'),
        'size check + validation': span('parsed', 'validated'),
      });
      record({ engine: span('validated', 'handled') });
      record({ answer: span('handled', 'sent'), 'server total': span('start', 'sent') });
    });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const token = (await app.auth.sign({ id: 'carol', name: 'carol', role: 'manager' })).token;
    const batches = generateBatches(1, REQUESTS + WARMUP, { client: 0, clients: 1 }).filter((b) => b.user === 'carol');
    let counted = false;
    const record = (phases: Partial<Record<Phase, number>>) => {
      if (!counted) return;
      for (const [name, ms] of Object.entries(phases)) add(name, ms);
    };
    for (const [index, batch] of batches.entries()) {
      counted = index >= WARMUP;
      current = new Map();
      const started = performance.now();
      const response = await fetch(`${address}/api/data`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ client_id: 'profile-client', batch: batch.entries }),
      });
      await response.json();
      record({ 'client total': performance.now() - started });
      if (counted) for (const [kind, ms] of current) add(kind, ms);
    }
    current = null;
    await app.close();
  } finally {
    await cluster.stop();
  }
  await report();
}

async function report() {
  const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? 0;
  const order = [
    'client total',
    'server total',
    'auth + read + parse body',
    'size check + validation',
    'engine',
    'answer',
  ];
  const names = [...samples.keys()].sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`;
  const md = `# Where a one-operation upload's time goes

Command: \`npm run bench:single-op -w @cr/api\` · ${new Date().toISOString()} · ${machine}, embedded Postgres, loopback

${REQUESTS} one-operation uploads in a row from one client (the upload benchmark's mixed workload, a manager's
batches), after ${WARMUP} warm-up requests. Median per request, milliseconds. The phases are Fastify's hooks
(authentication runs in the route's onRequest, before the body is read); the \`pg:\` lines are the engine's
Postgres statements, each timed from the call to its answer (inside "engine"). The API's pool pipelines:
BEGIN is sent with the read and COMMIT right behind the write, so BEGIN's and the read's times overlap, and
COMMIT's includes the write's (two round trips in all).

| what | median ms | requests |
|---|---:|---:|
${names.map((name) => `| ${name} | ${median(samples.get(name) ?? []).toFixed(3)} | ${samples.get(name)?.length ?? 0} |`).join('\n')}
`;
  await mkdir(new URL('./results/', import.meta.url), { recursive: true });
  await writeFile(new URL('./results/single-op-profile.md', import.meta.url), md);
  console.log(md);
}

await main();
