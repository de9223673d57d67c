import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, migrate, type RunningPostgres, seedIfEmpty, startEmbeddedPostgres } from '@cr/db';
import { infraPaths } from '@cr/infra';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type SyncHarness, startSync } from '../../test/sync-harness.ts';
import { openClient, type TestClient } from '../../test/test-client.ts';
import { waitFor } from '../../test/wait-for.ts';

/** The source Postgres restarts under a running sync service: replication reconnects and resumes. */
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
