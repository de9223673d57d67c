import { randomUUID } from 'node:crypto';
import { policy } from '@cr/demo-domain';
import { createEngine, FieldChangeWorker } from '@cr/upload-engine';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/env.ts';
import { resolveDemoAuthors } from '../src/plugins/app/authors.ts';
import { createPool } from '../src/plugins/external/db.ts';
import { IDS, type TestApp, testApp, waitFor } from './helpers.ts';

/**
 * More than one API instance against one database, as users scale the API out: two apps, each
 * with its own pool and its own field-change worker. Uploads stay exactly-once whichever
 * instance a delivery reaches, and the workers never apply a change twice nor wait for each other.
 */

let t: TestApp;
let b: FastifyInstance;
const env = { FIELD_CHANGE_SWEEP_MS: '100' };

beforeAll(async () => {
  t = await testApp({ startWorker: true, env });
  const config = loadConfig({ DATABASE_URL: t.url, JWT_PRIVATE_JWK: JSON.stringify(t.privateJwk), ...env });
  b = await buildApp({ config, startWorker: true });
  await b.ready();
});
afterAll(async () => {
  await b?.close();
  await t?.close();
});

const instances = () => [t.app, b];

async function post(app: FastifyInstance, user: string, clientId: string, batch: unknown[]) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/data',
    headers: { authorization: `Bearer ${await t.token(user)}` },
    payload: { client_id: clientId, batch },
  });
  return { status: response.statusCode, body: response.json() };
}

function prng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

describe('two API instances, one database', () => {
  it('uploads: every delivery to either instance, racing, is applied exactly once', async () => {
    const products = [IDS.mug, IDS.cap, '40000000-0000-4000-8000-000000000002'];
    const quantities = async () =>
      new Map(
        (
          await t.sql<{ id: string; quantity: number }>(`SELECT id, quantity FROM inventory WHERE id = ANY($1)`, [
            products,
          ])
        ).map((r) => [r.id, r.quantity]),
      );
    const expected = await quantities();
    let operations = 0;
    await Promise.all(
      ['alice', 'bob', 'carol'].map(async (user, c) => {
        const random = prng(c + 7);
        for (let tx = 1; tx <= 25; tx++) {
          const product = products[Math.floor(random() * products.length)] as string;
          const delta = random() < 0.5 ? -1 : 2;
          const batch = [
            {
              op_id: tx,
              op: 'PATCH',
              type: 'inventory',
              id: product,
              tx_id: tx,
              data: { quantity: 100 + delta },
              old: { quantity: 100 },
            },
          ];
          // The same transaction reaches both instances at once (a retry racing the original),
          // and sometimes once more after both answered (a lost response).
          const answers = await Promise.all(instances().map((app) => post(app, user, `multi-${user}`, batch)));
          if (random() < 0.3)
            answers.push(await post(instances()[tx % 2] as FastifyInstance, user, `multi-${user}`, batch));
          for (const answer of answers) expect(answer).toEqual(answers[0]);
          expect(answers[0]?.status).toBe(200);
          expected.set(product, (expected.get(product) ?? 0) + delta);
          operations += 1;
        }
      }),
    );
    expect(await quantities()).toEqual(expected);
    expect(await t.sql(`SELECT count(*)::int AS n FROM applied_operations WHERE client_id LIKE 'multi-%'`)).toEqual([
      { n: operations },
    ]);
  });

  it('field changes: both workers drain one queue; each change is applied once, in order per task', async () => {
    const tasks = Array.from({ length: 12 }, () => randomUUID());
    for (const [i, id] of tasks.entries()) {
      await post(instances()[i % 2] as FastifyInstance, 'alice', 'fc-setup', [
        {
          op_id: i + 1,
          op: 'PUT',
          type: 'tasks',
          id,
          tx_id: i,
          data: { title: `Task ${i}`, modified_at: '2026-11-22T10:00:00.000Z' },
        },
      ]);
    }
    const last = new Map<string, string>();
    let opId = 0;
    for (let round = 0; round < 8; round++) {
      await Promise.all(
        tasks.map((task, i) => {
          const value = `Round ${round} of task ${i}`;
          last.set(task, value);
          opId += 1;
          return post(instances()[(round + i) % 2] as FastifyInstance, 'bob', 'fc-multi', [
            {
              op_id: opId,
              op: 'PUT',
              type: 'field_changes',
              id: randomUUID(),
              tx_id: opId,
              data: {
                table_name: 'tasks',
                row_id: task,
                field_name: 'description',
                new_value: JSON.stringify(value),
                status: 'pending',
              },
            },
          ]);
        }),
      );
    }
    await waitFor(
      async () =>
        (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM field_changes WHERE status = 'pending'`))[0]?.n ===
        0,
      'every field change settled',
      20_000,
    );
    expect(await t.sql(`SELECT status, attempts, count(*)::int AS n FROM field_changes GROUP BY 1, 2`)).toEqual([
      { status: 'applied', attempts: 1, n: tasks.length * 8 },
    ]);
    const rows = await t.sql<{ id: string; description: string }>(
      `SELECT id, description FROM tasks WHERE id = ANY($1)`,
      [tasks],
    );
    expect(new Map(rows.map((r) => [r.id, r.description]))).toEqual(last);
  });

  it('a worker never waits for another: while one holds a task, the other applies everything else', async () => {
    // Two workers of their own (the apps' workers stop first), each with its own pool: two instances.
    for (const app of instances()) await app.fieldChanges.stop();
    const log = { info() {}, warn() {} };
    const pools = [createPool(t.url, 2), createPool(t.url, 2)];
    let claimed: () => void = () => {};
    const claimedOnce = new Promise<void>((resolve) => {
      claimed = resolve;
    });
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let held = false;
    const engine = createEngine(policy);
    const holder = new FieldChangeWorker(pools[0] as never, log, {
      engine,
      resolveAuthors: resolveDemoAuthors,
      sweepMs: 60_000,
      limits: { targets: 1, changes: 10 },
      afterClaim: async () => {
        if (held) return;
        held = true;
        claimed();
        await gate;
      },
    });
    const other = new FieldChangeWorker(pools[1] as never, log, {
      engine,
      resolveAuthors: resolveDemoAuthors,
      sweepMs: 60_000,
    });
    try {
      const targets = [IDS.task, IDS.task2, '10000000-0000-4000-8000-000000000003'];
      const ids: string[][] = targets.map(() => [randomUUID(), randomUUID()]);
      let opId = 1000;
      for (const [i, task] of targets.entries()) {
        for (const [k, id] of (ids[i] as string[]).entries()) {
          opId += 1;
          await post(t.app, 'carol', 'fc-wait', [
            {
              op_id: opId,
              op: 'PUT',
              type: 'field_changes',
              id,
              tx_id: opId,
              data: {
                table_name: 'tasks',
                row_id: task,
                field_name: 'priority',
                new_value: String(k + 1),
                status: 'pending',
              },
            },
          ]);
        }
      }
      const holding = holder.drain();
      await claimedOnce; // the holder has the oldest task locked and is paused inside its transaction
      let deadline: NodeJS.Timeout | undefined;
      await Promise.race([
        other.drain(),
        new Promise((_, reject) => {
          deadline = setTimeout(() => reject(new Error('the second worker waited for the first')), 10_000);
        }),
      ]);
      clearTimeout(deadline);
      const statuses = async () =>
        (
          await t.sql<{ id: string; status: string }>(`SELECT id, status FROM field_changes WHERE id = ANY($1)`, [
            ids.flat(),
          ])
        )
          .map((r) => [ids.findIndex((pair) => pair.includes(r.id)), r.status] as const)
          .sort();
      expect(await statuses()).toEqual([
        [0, 'pending'],
        [0, 'pending'],
        [1, 'applied'],
        [1, 'applied'],
        [2, 'applied'],
        [2, 'applied'],
      ]);
      release();
      await holding;
      expect((await statuses()).map(([, status]) => status)).toEqual(Array(6).fill('applied'));
      expect(await t.sql(`SELECT DISTINCT attempts FROM field_changes WHERE id = ANY($1)`, [ids.flat()])).toEqual([
        { attempts: 1 },
      ]);
      expect(holder.status.applied + other.status.applied).toBe(6);
    } finally {
      release();
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });
});
