import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, migrate, type RunningPostgres, seedIfEmpty, startEmbeddedPostgres } from '@cr/db';
import { infraPaths } from '@cr/infra';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startLoadWriter } from '../../test/load-writer.ts';
import { storageProblems } from '../../test/storage-invariants.ts';
import { type SyncHarness, startSync } from '../../test/sync-harness.ts';
import { openClient, type TestClient } from '../../test/test-client.ts';
import { waitFor } from '../../test/wait-for.ts';

/**
 * The source Postgres restarts under a running sync service: replication reconnects and resumes,
 * also when Postgres crashes in the middle of the service's storage writes.
 */
let dir: string;
let port: number;
let postgres: RunningPostgres;
let sync: SyncHarness;
let client: TestClient;

const start = () => startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), port });

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cr-sync-pg-restart-'));
  await chmod(dir, 0o755); // as root, the server runs as the postgres user
  port = await freePort();
  postgres = await start();
  await migrate(postgres.url, infraPaths.migrations);
  await seedIfEmpty(postgres.url, infraPaths.seed);
  sync = await startSync({ databaseUrl: postgres.url });
  await sync.ready();
  client = await openClient({ endpoint: sync.url, token: () => sync.jwks.sign({ sub: 'bob', role: 'clerk' }) });
  await client.db.waitForFirstSync();
}, 120_000);

afterAll(async () => {
  await client?.close();
  await sync?.close();
  await postgres?.stop();
  await rm(dir, { recursive: true, force: true });
}, 60_000);

it('reconnects replication after Postgres restarts, and delivers what happens next', async () => {
  await postgres.stop();
  await waitFor(() => sync.app.sync.service.replicator.status.phase === 'retrying', {
    message: 'replication to notice',
  });
  postgres = await start();
  await waitFor(() => sync.app.sync.service.replicator.status.phase === 'streaming', {
    timeoutMs: 30_000,
    message: 'replication to reconnect',
  });
  await sync.sql.query(
    `UPDATE orders SET customer = 'Northwind Cafe (after restart)' WHERE customer = 'Northwind Cafe'`,
  );
  await waitFor(
    async () =>
      (await client.rows<{ customer: string }>(`SELECT customer FROM orders WHERE customer LIKE 'Northwind%'`))[0]
        ?.customer === 'Northwind Cafe (after restart)',
    { timeoutMs: 30_000, message: 'the change after the restart' },
  );
  expect(sync.logs.filter((line) => line.includes('snapshot done'))).toHaveLength(1);
  expect(sync.logs.some((line) => line.includes('replication stopped; retrying'))).toBe(true);
  expect(client.logs.filter((line) => line.includes("Checksums didn't match"))).toEqual([]);
}, 90_000);

it('keeps storage consistent when Postgres crashes in the middle of its writes, round after round', async () => {
  const writer = startLoadWriter(postgres.url, [
    'UPDATE inventory SET quantity = quantity + 1',
    `INSERT INTO documents (id, title, body, version, created_by, created_at, updated_by, updated_at)
     SELECT gen_random_uuid(), 'load ' || g, repeat('x', 200), 1, 'alice', now(), 'alice', now()
       FROM generate_series(1, 50) g`,
    `DELETE FROM documents WHERE title LIKE 'load %'`,
  ]);
  const stock = async () =>
    Number((await sync.sql.query<{ n: string }>('SELECT sum(quantity) AS n FROM inventory')).rows[0]?.n);
  const clientStock = async () =>
    Number((await client.rows<{ n: number }>('SELECT sum(quantity) AS n FROM inventory'))[0]?.n ?? 0);
  try {
    for (let round = 0; round < 4; round++) {
      // Replication is busy with the writers' transactions when Postgres goes down.
      const target = await stock();
      await waitFor(async () => (await clientStock()) > target, {
        timeoutMs: 30_000,
        message: `round ${round}: the client past stock ${target}`,
      });
      await postgres.crash();
      await waitFor(() => sync.app.sync.service.replicator.status.phase === 'retrying', {
        message: `round ${round}: replication to notice`,
      });
      postgres = await start();
      expect(await storageProblems(sync.sql), `round ${round}: after the crash`).toEqual([]);
      await waitFor(() => sync.app.sync.service.replicator.status.phase === 'streaming', {
        timeoutMs: 30_000,
        message: `round ${round}: replication to resume`,
      });
    }
  } finally {
    await writer.stop();
  }
  const expected = JSON.stringify((await sync.sql.query('SELECT id, quantity FROM inventory ORDER BY id')).rows);
  await waitFor(
    async () => JSON.stringify(await client.rows('SELECT id, quantity FROM inventory ORDER BY id')) === expected,
    { timeoutMs: 30_000, message: 'the client converging on Postgres' },
  );
  expect(await storageProblems(sync.sql)).toEqual([]);
  expect(sync.logs.join('\n')).not.toContain('duplicate key');
  expect(client.logs.filter((line) => line.includes("Checksums didn't match"))).toEqual([]);
}, 240_000);
