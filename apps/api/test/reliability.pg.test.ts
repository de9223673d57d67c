import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, migrate, type RunningPostgres, seedIfEmpty, startEmbeddedPostgres } from '@cr/db';
import { infraPaths } from '@cr/infra';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/env.ts';

/**
 * Fault injection: four clients upload their queues like the PowerSync SDK does (one transaction
 * at a time, the next only after a 2xx), while uploads are duplicated, sent twice at once, their
 * responses lost, and Postgres is stopped and restarted in the middle. Afterwards nothing is lost
 * and nothing is applied twice.
 */

const PRODUCTS = [
  '40000000-0000-4000-8000-000000000001',
  '40000000-0000-4000-8000-000000000002',
  '40000000-0000-4000-8000-000000000004',
];
const CLIENTS = 4;
const TRANSACTIONS = 40;

let dir: string;
let postgres: RunningPostgres;
let app: FastifyInstance;
let address: string;
let port: number;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cr-reliability-'));
  await chmod(dir, 0o755);
  port = await freePort();
  postgres = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), port });
  await migrate(postgres.url, infraPaths.migrations);
  await seedIfEmpty(postgres.url, infraPaths.seed);
  app = await buildApp({ config: loadConfig({ DATABASE_URL: postgres.url }), startWorker: false });
  address = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app?.close();
  await postgres?.stop();
  await rm(dir, { recursive: true, force: true });
});

function prng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

/** A client's queue: each transaction sells or restocks one unit of a product (a delta). */
function queue(client: number) {
  const random = prng(client + 1);
  let opId = 0;
  return Array.from({ length: TRANSACTIONS }, (_, tx) => {
    const product = PRODUCTS[Math.floor(random() * PRODUCTS.length)] as string;
    const delta = random() < 0.6 ? -1 : 1;
    return {
      delta,
      product,
      batch: [
        {
          op_id: ++opId,
          op: 'PATCH',
          type: 'inventory',
          id: product,
          tx_id: tx,
          data: { quantity: 100 + delta },
          old: { quantity: 100 },
        },
      ],
    };
  });
}

async function post(token: string, clientId: string, batch: unknown[]): Promise<number> {
  try {
    const response = await fetch(`${address}/api/data`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ client_id: clientId, batch }),
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0; // connection error: the fate is unknown, like a lost response
  }
}

describe('uploads under duplication, races, lost responses and a database restart', () => {
  it('applies every operation exactly once', async () => {
    const { token } = await app.auth.sign({ id: 'alice', name: 'Alice', role: 'clerk' });
    const db = new pg.Client({ connectionString: postgres.url });
    await db.connect();
    const { rows: before } = await db.query<{ id: string; quantity: number }>('SELECT id, quantity FROM inventory');
    await db.end();
    const queues = Array.from({ length: CLIENTS }, (_, c) => queue(c));
    let sent = 0;
    let restarted = false;
    const statuses = new Map<number, number>();

    await Promise.all(
      queues.map(async (transactions, c) => {
        const random = prng(100 + c);
        for (const { batch } of transactions) {
          for (;;) {
            sent += 1;
            if (!restarted && sent > (CLIENTS * TRANSACTIONS) / 2) {
              restarted = true;
              await postgres.stop(); // uploads now fail with 503 until it is back
              setTimeout(
                () => void startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), port }).then((p) => (postgres = p)),
                300,
              );
            }
            const roll = random();
            if (roll < 0.15) await post(token, `client-${c}`, batch); // a duplicate delivered first, its response ignored
            const attempts =
              roll < 0.3
                ? await Promise.all([post(token, `client-${c}`, batch), post(token, `client-${c}`, batch)])
                : [await post(token, `client-${c}`, batch)];
            for (const status of attempts) statuses.set(status, (statuses.get(status) ?? 0) + 1);
            if (attempts.some((s) => s === 200) && random() > 0.1) break; // 10 %: the 200 was "lost", send again
            await new Promise((resolve) => setTimeout(resolve, attempts.some((s) => s === 200) ? 0 : 50));
          }
        }
      }),
    );

    expect(restarted).toBe(true);
    expect(statuses.get(503) ?? 0).toBeGreaterThan(0);
    const check = new pg.Client({ connectionString: postgres.url });
    await check.connect();
    const { rows: after } = await check.query<{ id: string; quantity: number }>('SELECT id, quantity FROM inventory');
    const { rows: ledger } = await check.query<{ n: number; distinct_ops: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT (client_id, op_id))::int AS distinct_ops FROM applied_operations`,
    );
    await check.end();
    const expected = new Map(before.map((r) => [r.id, r.quantity]));
    for (const transactions of queues) {
      for (const { product, delta } of transactions) expected.set(product, (expected.get(product) ?? 0) + delta);
    }
    expect(new Map(after.map((r) => [r.id, r.quantity]))).toEqual(expected);
    expect(ledger[0]).toEqual({ n: CLIENTS * TRANSACTIONS, distinct_ops: CLIENTS * TRANSACTIONS });
  });
});
