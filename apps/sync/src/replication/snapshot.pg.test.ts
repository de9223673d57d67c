import { seedIfEmpty } from '@cr/db';
import { createTestDatabase } from '@cr/db/testing';
import { infraPaths } from '@cr/infra';
import pg from 'pg';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { type SyncHarness, startSync } from '../../test/sync-harness.ts';
import { openClient, type TestClient } from '../../test/test-client.ts';
import { waitFor } from '../../test/wait-for.ts';

/**
 * The initial snapshot runs while the application keeps writing: the copy and the replay of the
 * slot must converge on exactly what Postgres holds. Also one source transaction bigger than a
 * storage flush.
 */
const ROWS = 20_000;
let sync: SyncHarness;
let client: TestClient;
let databaseUrl: string;

const insertTasks = (db: pg.Pool | pg.Client, from: number, count: number, title: string) =>
  db.query(
    `INSERT INTO tasks (id, title, created_by, created_at, modified_at, modified_by)
     SELECT ('00000000-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid, $3 || n, 'carol', now(), now(), 'carol'
       FROM generate_series($1::int, $1::int + $2::int - 1) AS n`,
    [from, count, title],
  );

beforeAll(async () => {
  databaseUrl = await createTestDatabase(inject('pgCluster'));
  await seedIfEmpty(databaseUrl, infraPaths.seed);
  const setup = new pg.Client({ connectionString: databaseUrl });
  await setup.connect();
  await insertTasks(setup, 1, ROWS, 'task ');
  await setup.end();
});
afterAll(async () => {
  await client?.close();
  await sync?.close();
});

async function expectClientMatchesPostgres() {
  const expected = await sync.sql.query<{ id: string; title: string }>('SELECT id::text, title FROM tasks ORDER BY id');
  const expectedText = JSON.stringify(expected.rows);
  await client.db.waitForFirstSync();
  await waitFor(
    async () => JSON.stringify(await client.rows('SELECT id, title FROM tasks ORDER BY id')) === expectedText,
    { timeoutMs: 30_000, intervalMs: 250, message: 'the client to hold exactly the rows of Postgres' },
  );
  expect(client.logs.filter((line) => line.includes("Checksums didn't match"))).toEqual([]);
}

it('converges on Postgres when rows change during the snapshot', async () => {
  const writer = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  let writing = true;
  let rounds = 0;
  const load = (async () => {
    while (writing) {
      rounds += 1;
      const n = 1 + ((rounds * 7919) % ROWS);
      await writer.query(`UPDATE tasks SET title = 'changed ' || $1 WHERE title LIKE 'task %' AND id = $2`, [
        rounds,
        `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      ]);
      if (rounds % 5 === 0) await insertTasks(writer, ROWS + rounds, 1, 'added ');
      if (rounds % 7 === 0) {
        await writer.query(`DELETE FROM tasks WHERE id = $1`, [
          `00000000-0000-4000-8000-${String(rounds).padStart(12, '0')}`,
        ]);
      }
    }
  })();
  sync = await startSync({ databaseUrl });
  await sync.ready();
  writing = false;
  await load;
  await writer.end();
  expect(rounds).toBeGreaterThan(10); // the writes really overlapped the snapshot

  client = await openClient({ endpoint: sync.url, token: () => sync.jwks.sign({ sub: 'alice', role: 'clerk' }) });
  await expectClientMatchesPostgres();
}, 120_000); // a snapshot of 20,000 rows under write load, on a machine shared with other work

it('replicates one transaction bigger than a storage flush', async () => {
  const bulk = await sync.sql.query(`UPDATE tasks SET title = title || ' (bulk)' WHERE title LIKE 'task 1%'`);
  expect(bulk.rowCount).toBeGreaterThan(2000);
  await expectClientMatchesPostgres();
});
