import { createTestDatabase } from '@cr/db/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { membersById, policy } from '../../test/workshop.ts';
import { createEngine } from '../apply/engine.ts';
import { FieldChangeWorker } from './field-change-worker.ts';
import { FIELD_CHANGES_CHANNEL, NotifyListener } from './notify-listener.ts';

/**
 * The worker's LISTEN connection against a Postgres that ends it: a restart, or a terminal Ctrl-C
 * that stops Postgres while the API is closing (the pg pool throws "Release called on client
 * which has already been released" when a client is released twice).
 */
let url: string;
let admin: pg.Client;

beforeAll(async () => {
  url = await createTestDatabase(inject('pgCluster'));
  admin = new pg.Client({ connectionString: url });
  await admin.connect();
});
afterAll(async () => {
  await admin?.end();
});

const quiet = { info: () => {}, warn: () => {} };
const engine = createEngine(policy);

/** A pool whose idle clients may lose their connection (Postgres ends them here) without crashing the run. */
function poolOf(): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on('error', () => {});
  return pool;
}

async function listenerPids(channel: string): Promise<number[]> {
  const { rows } = await admin.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = $1`,
    [`LISTEN ${channel}`],
  );
  return rows.map((row) => row.pid);
}

async function waitFor<T>(check: () => Promise<T | null | undefined | false>, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function checkedOut(pool: pg.Pool): number {
  return pool.totalCount - pool.idleCount;
}

describe('LISTEN connection', () => {
  it('is replaced after Postgres ends it, and notifications arrive again', async () => {
    const pool = poolOf();
    let notified = 0;
    const errors: unknown[] = [];
    const listener = new NotifyListener(pool, 'listener_test', {
      onNotify: () => {
        notified += 1;
      },
      onError: (error) => errors.push(error),
      retryMs: 50,
    });
    await listener.start();
    const [first] = await waitFor(async () => {
      const pids = await listenerPids('listener_test');
      return pids.length === 1 && pids;
    }, 'the first LISTEN');
    await admin.query(`NOTIFY listener_test`);
    await waitFor(async () => notified === 1, 'the first notification');

    await admin.query('SELECT pg_terminate_backend($1)', [first]);
    const [second] = await waitFor(async () => {
      const pids = await listenerPids('listener_test');
      return pids.length === 1 && pids[0] !== first && listener.listening && pids;
    }, 'a new LISTEN connection');
    expect(second).not.toBe(first);
    expect(errors).toHaveLength(1);
    await admin.query(`NOTIFY listener_test`);
    await waitFor(async () => notified === 2, 'a notification on the new connection');

    await listener.close();
    expect(checkedOut(pool)).toBe(0);
    // The connection was destroyed; Postgres notices its end a moment later.
    await waitFor(async () => (await listenerPids('listener_test')).length === 0, 'the LISTEN connection to end');
    await pool.end();
  });

  it('survives the worker stopping while Postgres terminates the connection, in any order', async () => {
    const pool = poolOf();
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      for (let round = 0; round < 40; round += 1) {
        const worker = new FieldChangeWorker(pool, quiet, { engine, resolveAuthors: membersById, sweepMs: 60_000 });
        await worker.start();
        const [pid] = await waitFor(async () => {
          const pids = await listenerPids(FIELD_CHANGES_CHANNEL);
          return pids.length === 1 && pids;
        }, 'the worker to listen');
        // Both sides at once, as on a terminal Ctrl-C; the interleaving varies with the round.
        const terminated = (async () => {
          for (let i = 0; i < round % 4; i += 1) await new Promise(setImmediate);
          await admin.query('SELECT pg_terminate_backend($1)', [pid]);
        })();
        if (round % 2 === 1) await new Promise(setImmediate);
        await expect(worker.stop()).resolves.toBeUndefined();
        await terminated;
        await waitFor(async () => (await listenerPids(FIELD_CHANGES_CHANNEL)).length === 0, 'the connection to end');
        expect(checkedOut(pool)).toBe(0);
      }
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(uncaught).toEqual([]);
    await pool.end();
  });
});
