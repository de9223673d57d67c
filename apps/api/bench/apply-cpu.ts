import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { seedIfEmpty } from '@cr/db';
import { createTestDatabase, startTestCluster } from '@cr/db/testing';
import { infraPaths } from '@cr/infra';
import type pg from 'pg';
import { createPool } from '../src/plugins/external/db.ts';
import { adapter, baseline } from './measure.ts';
import { type Batch, generateBatches, populate } from './workload.ts';

/**
 * Where the CPU of a one-operation upload goes, in process: the upload engine's apply layer and
 * the naive function (bench/baseline.ts), each on its own database through a pool of ONE
 * connection, alternating in rounds. Per upload: this process's CPU time (Node: the engine, the
 * driver) and the Postgres backend's CPU time (read from /proc for the connection's backend), and
 * the wall-clock p50.
 *
 *   npm run bench:apply-cpu -w @cr/api                    (APPLY_ROUNDS=4, APPLY_PER_ROUND=500)
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/apply-cpu.ts   (a V8 profile of it)
 *
 * `APPLY_ONLY=ours` (or `naive`, `old`) runs one side only, for a profile of that side alone.
 * `APPLY_OLD=<path to another copy's src/index.ts>` adds that copy of the engine as a side, for
 * an A/B of two versions in one run, e.g. the engine as of a commit:
 *   mkdir -p node_modules/.cache/bench-engine      (at the repository's root; ignored by git and the tools)
 *   git archive <commit> packages/upload-engine/src | tar -x -C node_modules/.cache/bench-engine
 *   APPLY_OLD=$PWD/node_modules/.cache/bench-engine/packages/upload-engine/src/index.ts npm run bench:apply-cpu -w @cr/api
 * `APPLY_PG_SET="name = value"` adds a side whose connection has
 * that setting. Prints a table; writes nothing.
 */

const ROUNDS = Number(process.env.APPLY_ROUNDS ?? 4);
const PER_ROUND = Number(process.env.APPLY_PER_ROUND ?? 500);
const WARMUP = 100;
const ONLY = process.env.APPLY_ONLY;
const TICK_MS = 10; // USER_HZ is 100 on Linux

interface Side {
  name: string;
  pool: pg.Pool;
  backend: number;
  run: (batch: Batch) => Promise<void>;
  nodeMicros: number;
  pgTicks: number;
  latencies: number[];
}

async function backendTicks(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

async function side(name: string, url: string, make: (pool: pg.Pool) => (batch: Batch) => Promise<void>, set?: string) {
  const pool = createPool(url, 1);
  await populate(pool);
  if (set) await pool.query(`SET ${set}`);
  const [{ pid } = { pid: 0 }] = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
  return { name, pool, backend: pid, run: make(pool), nodeMicros: 0, pgTicks: 0, latencies: [] } satisfies Side;
}

const batches = generateBatches(1, WARMUP + ROUNDS * PER_ROUND, { client: 0, clients: 1 });
const load = [loadavg()[0]];
const cluster = await startTestCluster({ migrationsDir: infraPaths.migrations });
const sides: Side[] = [];
try {
  const ours = (pool: pg.Pool) => {
    const apply = adapter(pool);
    return (b: Batch) => apply(b, 0);
  };
  const contenders: [string, (pool: pg.Pool) => (batch: Batch) => Promise<void>, string?][] = [
    ['ours (apply layer)', ours],
    ['naive (SELECT + UPDATE)', (pool: pg.Pool) => baseline(pool, 'transaction')],
  ];
  if (process.env.APPLY_OLD) {
    // An A/B experiment: another copy of the engine's source (e.g. `git archive <commit> packages/upload-engine/src`).
    const old = await import(process.env.APPLY_OLD);
    const { policy } = await import('@cr/demo-domain');
    const engine = old.createEngine(policy);
    contenders.push([
      'old ours',
      (pool: pg.Pool) => (b: Batch) =>
        old.applyUpload(pool, engine, {
          actor: { id: b.user, role: b.user === 'dan' ? 'doctor' : 'manager' },
          clientId: `bench-adapter-0-${b.user}`,
          entries: b.entries,
          now: new Date().toISOString(),
        }),
    ]);
  }
  // An experiment: the apply layer on a connection with a setting changed (`APPLY_PG_SET="x = y"`).
  if (process.env.APPLY_PG_SET)
    contenders.push([`ours, SET ${process.env.APPLY_PG_SET}`, ours, process.env.APPLY_PG_SET]);
  for (const [name, make, set] of contenders) {
    if (ONLY && !name.startsWith(ONLY)) continue;
    const url = await createTestDatabase(cluster);
    await seedIfEmpty(url, infraPaths.seed);
    sides.push(await side(name, url, make, set));
  }
  for (const s of sides) for (const b of batches.slice(0, WARMUP)) await s.run(b);
  for (let r = 0; r < ROUNDS; r++) {
    const slice = batches.slice(WARMUP + r * PER_ROUND, WARMUP + (r + 1) * PER_ROUND);
    for (const s of r % 2 === 0 ? sides : [...sides].reverse()) {
      // The pool may have replaced an idle connection since: ask which backend serves it now.
      s.backend = (await s.pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid ?? 0;
      const ticks = await backendTicks(s.backend);
      const cpu = process.cpuUsage();
      for (const b of slice) {
        const t0 = performance.now();
        await s.run(b);
        s.latencies.push(performance.now() - t0);
      }
      const used = process.cpuUsage(cpu);
      s.nodeMicros += used.user + used.system;
      s.pgTicks += (await backendTicks(s.backend)) - ticks;
    }
  }
} finally {
  for (const s of sides) await s.pool.end();
  await cluster.stop();
}
load.push(loadavg()[0]);

const n = ROUNDS * PER_ROUND;
console.log(`${n} one-operation uploads each · load average (1 min) ${load.map((l) => l?.toFixed(1)).join(' → ')}`);
console.log('| side | Node CPU ms/op | Postgres backend CPU ms/op | p50 ms | p95 ms |');
console.log('|---|---:|---:|---:|---:|');
for (const s of sides) {
  const sorted = [...s.latencies].sort((a, b) => a - b);
  const at = (q: number) => (sorted[Math.floor(q * sorted.length)] ?? 0).toFixed(2);
  console.log(
    `| ${s.name} | ${(s.nodeMicros / 1000 / n).toFixed(3)} | ${((s.pgTicks * TICK_MS) / n).toFixed(3)} | ${at(0.5)} | ${at(0.95)} |`,
  );
}
