import { seedIfEmpty } from '@cr/db';
import { createTestDatabase, startTestCluster } from '@cr/db/testing';
import { infraPaths } from '@cr/infra';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/env.ts';
import { createPool } from '../src/plugins/external/db.ts';
import { adapter, http } from './measure.ts';
import { type Batch, generateBatches, populate } from './workload.ts';

/**
 * What one uploaded batch costs the API process, in figures a busy shared machine barely moves:
 * database round trips and this process's CPU time per batch (and, for reference, wall time,
 * which does move). For comparing two versions of the code where throughput is too noisy.
 *
 *   npx tsx bench/cost-per-batch.ts            (in apps/api; COST_SIZES=1,100,1000 by default)
 *
 * Prints one line per batch size and path (apply: the apply layer called directly; http: the
 * whole endpoint on loopback, this process serving and sending).
 */

const SIZES = (process.env.COST_SIZES ?? '1,100,1000').split(',').map(Number);
const BATCHES: Record<number, number> = { 1: 400, 100: 60, 1000: 20 };
const WARMUP = 10;

let roundTrips = 0;
const query = pg.Client.prototype.query;
// Counts every statement sent (the pool's clients are pg.Client): a round trip each.
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  roundTrips += 1;
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

async function run(apply: (batch: Batch, client: number) => Promise<void>, batches: Batch[]) {
  for (const batch of batches.slice(0, WARMUP)) await apply(batch, 0);
  const measured = batches.slice(WARMUP);
  roundTrips = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (const batch of measured) await apply(batch, 0);
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const n = measured.length;
  return {
    roundTrips: roundTrips / n,
    cpuMs: (used.user + used.system) / 1000 / n,
    wallMs: wallMs / n,
  };
}

const cluster = await startTestCluster({ migrationsDir: infraPaths.migrations });
try {
  for (const size of SIZES) {
    for (const path of ['apply', 'http'] as const) {
      const url = await createTestDatabase(cluster);
      await seedIfEmpty(url, infraPaths.seed);
      const pool = createPool(url, 4);
      const app = await buildApp({
        config: loadConfig({ DATABASE_URL: url, API_BODY_LIMIT: String(64 * 1024 * 1024), LOG_LEVEL: 'warn' }),
        startWorker: false,
      });
      try {
        await populate(pool);
        const batches = generateBatches(size, (BATCHES[size] ?? 20) + WARMUP, { client: 0, clients: 1 });
        let apply = adapter(pool);
        if (path === 'http') {
          const address = await app.listen({ port: 0, host: '127.0.0.1' });
          const tokens: Record<string, string> = {};
          for (const user of ['carol', 'dan'])
            tokens[user] = (
              await app.auth.sign({ id: user, name: user, role: user === 'dan' ? 'doctor' : 'manager' })
            ).token;
          apply = http(address, tokens, {});
        }
        const cost = await run(apply, batches);
        console.log(
          `batch ${String(size).padStart(4)} ${path.padEnd(5)}: ${cost.roundTrips.toFixed(1)} round trips, ` +
            `${cost.cpuMs.toFixed(2)} ms CPU, ${cost.wallMs.toFixed(1)} ms wall per batch ` +
            `(${(cost.cpuMs / size).toFixed(3)} ms CPU per operation)`,
        );
      } finally {
        await app.close();
        await pool.end();
      }
    }
  }
} finally {
  await cluster.stop();
}
