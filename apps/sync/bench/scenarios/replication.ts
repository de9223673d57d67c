import { infraPaths } from '@cr/infra';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../../src/app.ts';
import { createLogger } from '../../src/log.ts';
import { parseLsn } from '../../src/pg/lsn.ts';
import { JwksServer } from '../../test/jwks-server.ts';
import { startSyncInProcess } from '../bench-stack.ts';
import { atLeast, type BenchResult } from '../result.ts';

const TARGET = 10_000; // row changes per second

async function waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return performance.now();
}

/**
 * Catch-up rate: changes are committed while the service is stopped (the slot keeps them), then
 * the service starts and the clock runs from the first change it receives until the checkpoint
 * covers the last commit — row changes per second from Postgres commit into bucket storage.
 */
interface CatchUp {
  /** Rows per second from the first change received until the checkpoint covers the last commit. */
  rate: number;
  /** The same from the start of streaming (includes Postgres re-reading WAL up to the slot position). */
  rateFromStreamStart: number;
}

async function catchUp(databaseUrl: string, jwksUrl: string, pool: pg.Pool, rows: number): Promise<CatchUp> {
  const { rows: lsnRows } = await pool.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
  const target = parseLsn(lsnRows[0]?.lsn ?? '0/0');
  const app: FastifyInstance = await buildApp({
    databaseUrl,
    jwksUrl,
    syncRulesPath: infraPaths.syncRules,
    logger: createLogger({ level: 'warn' }),
  });
  try {
    const { service } = app.sync;
    const streaming = await waitUntil(() => service.replicator.status.phase === 'streaming', 120_000, 'streaming');
    // From the first replicated change: Postgres first re-reads WAL up to the slot's position.
    const started = await waitUntil(() => service.replicator.status.rowChanges > 0, 120_000, 'the first change');
    const done = await waitUntil(() => (service.bus.latest?.lsn ?? 0n) >= target, 600_000, 'catch-up');
    return { rate: rows / ((done - started) / 1000), rateFromStreamStart: rows / ((done - streaming) / 1000) };
  } finally {
    await app.close();
  }
}

export async function replicationBench(database: () => Promise<string>): Promise<BenchResult[]> {
  const databaseUrl = await database();
  const jwks = await JwksServer.start();
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  const results: BenchResult[] = [];
  try {
    // First start: snapshot of the seed, slot created. Then stop and let WAL accumulate.
    await (await startSyncInProcess(databaseUrl, jwks.url)).app.close();

    const batched = 100_000;
    for (let i = 0; i < 100; i++) {
      await pool.query(
        `INSERT INTO tasks (id, title, description, created_by, created_at, modified_at, modified_by)
         SELECT gen_random_uuid(), 'bulk ' || n, 'replicated in a batch of 1000', 'carol', now(), now(), 'carol'
           FROM generate_series(1, 1000) AS n`,
      );
    }
    const batchedRate = await catchUp(databaseUrl, jwks.url, pool, batched);
    results.push({
      scenario: 'replication',
      metric: 'replication throughput, 1,000-row transactions (row changes/s)',
      value: Math.round(batchedRate.rate),
      unit: 'rows/s',
      ...atLeast(batchedRate.rate, TARGET),
      details: { rows: batched, transactions: 100, fromStreamStart: Math.round(batchedRate.rateFromStreamStart) },
    });

    const single = 10_000;
    const { rows: ids } = await pool.query<{ id: string }>(`SELECT id FROM tasks LIMIT ${single}`);
    for (const [n, { id }] of ids.entries()) {
      await pool.query(`UPDATE tasks SET priority = $1 WHERE id = $2`, [1 + (n % 5), id]);
    }
    const singleRate = await catchUp(databaseUrl, jwks.url, pool, single);
    results.push({
      scenario: 'replication',
      metric: 'replication throughput, 1-row transactions (row changes/s)',
      value: Math.round(singleRate.rate),
      unit: 'rows/s',
      ...atLeast(singleRate.rate, TARGET),
      details: { rows: single, transactions: single, fromStreamStart: Math.round(singleRate.rateFromStreamStart) },
    });
  } finally {
    await pool.end();
    await jwks.close();
  }
  return results;
}
