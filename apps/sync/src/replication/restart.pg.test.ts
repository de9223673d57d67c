import { afterAll, beforeAll, expect, it } from 'vitest';
import { type SyncHarness, startSync } from '../../test/sync-harness.ts';
import { openClient, type TestClient } from '../../test/test-client.ts';
import { waitFor } from '../../test/wait-for.ts';
import { dropSlot } from './slot.ts';

/** Restarting the sync service resumes replication from its slot: no second snapshot, no re-download. */
let sync: SyncHarness;
let client: TestClient;

beforeAll(async () => {
  sync = await startSync({ seed: true });
  await sync.ready();
  client = await openClient({ endpoint: sync.url, token: () => sync.jwks.sign({ sub: 'alice', role: 'clerk' }) });
  await client.db.waitForFirstSync();
});
afterAll(async () => {
  await client?.close();
  await sync?.close();
  await sync?.jwks.close().catch(() => {}); // shared with the restarted harness, which does not close it
});

const opCount = async () =>
  Number((await sync.sql.query('SELECT count(*) AS n FROM powersync_storage.ops')).rows[0]?.n);
const title = async (id: string) =>
  (await client.rows<{ title: string }>('SELECT title FROM documents WHERE id = ?', [id]))[0]?.title;
const DOC = '20000000-0000-4000-8000-000000000001';

it('resumes from the slot after a restart, including changes made while it was down', async () => {
  const opsBefore = await opCount();
  const snapshotsBefore = sync.logs.filter((line) => line.includes('snapshot done')).length;
  expect(snapshotsBefore).toBe(1);

  await sync.restart(async () => {
    await sync.sql.query('UPDATE documents SET title = $1 WHERE id = $2', ['Edited while sync was down', DOC]);
  });
  await waitFor(async () => (await title(DOC)) === 'Edited while sync was down', {
    message: 'the change made during the downtime',
  });

  expect(sync.logs.filter((line) => line.includes('snapshot done'))).toHaveLength(1);
  expect(sync.logs.filter((line) => line.includes('created replication slot'))).toHaveLength(1);
  expect(sync.logs.some((line) => line.includes('resuming replication from'))).toBe(true);
  expect(await opCount()).toBe(opsBefore + 1); // one PUT for the one changed row, no second copy

  // The client reconnected with what it had, and got only the new op.
  await waitFor(() => client.requests.length >= 2, { message: 'the reconnect' });
  const again = client.requests[client.requests.length - 1] as { buckets: { name: string; after: string }[] };
  expect(again.buckets.length).toBeGreaterThan(0); // the buckets it holds data of
  for (const bucket of again.buckets) expect(Number(bucket.after)).toBeGreaterThan(0);
  const resent = client.lines.filter((l) => l.request >= 1 && 'data' in l.line);
  expect(resent.flatMap((l) => (l.line.data as { data: unknown[] }).data)).toHaveLength(1);
});

it('keeps replicating after the restart', async () => {
  await sync.sql.query('UPDATE documents SET title = $1 WHERE id = $2', ['And after it', DOC]);
  await waitFor(async () => (await title(DOC)) === 'And after it', { message: 'a change after the restart' });
  expect(client.logs.filter((line) => line.includes("Checksums didn't match"))).toEqual([]);
});

it('re-snapshots with new bucket names when the sync rules change', async () => {
  const before = (await sync.sql.query('SELECT rules_version, last_op_id FROM powersync_storage.state')).rows[0];
  expect(before?.rules_version).toBe(1);
  // Same rules plus a comment: a different file is a new deploy.
  const { readFile } = await import('node:fs/promises');
  const { infraPaths } = await import('@cr/infra');
  const changed = `${await readFile(infraPaths.syncRules, 'utf8')}\n# changed\n`;
  // Not sync.close(), which drops slots: dropping the old deploy's slot is the service's job here.
  await sync.app.close();
  await sync.sql.end();
  sync = await startSync({ databaseUrl: sync.databaseUrl, jwks: sync.jwks, syncRules: changed });
  await sync.ready();
  const after = (await sync.sql.query('SELECT rules_version, last_op_id, slot_name FROM powersync_storage.state'))
    .rows[0];
  expect(after?.rules_version).toBe(2);
  expect(Number(after?.last_op_id)).toBeGreaterThan(Number(before?.last_op_id)); // op ids never go back
  expect(after?.slot_name).toMatch(/_2$/);
  const buckets = (await sync.sql.query('SELECT bucket FROM powersync_storage.bucket_state ORDER BY bucket')).rows;
  expect(buckets.map((r) => r.bucket)).toContain('2#team[]');
  expect(buckets.map((r) => r.bucket)).not.toContain('1#team[]');
  const slots = await sync.sql.query(
    `SELECT slot_name FROM pg_replication_slots WHERE database = current_database() ORDER BY slot_name`,
  );
  expect(slots.rows.map((r) => r.slot_name)).toEqual([after?.slot_name]); // the old slot is gone
  expect(sync.logs.some((line) => line.includes('dropped replication slot powersync_'))).toBe(true);
});

it('copies the tables again, as a new deploy, when its slot is gone', async () => {
  const before = (await sync.sql.query('SELECT rules_version, slot_name FROM powersync_storage.state')).rows[0];
  await sync.restart(async () => {
    await dropSlot(sync.sql, before?.slot_name); // waits while the old connection lets go of it
  });
  await sync.ready();
  const after = (await sync.sql.query('SELECT rules_version, slot_name FROM powersync_storage.state')).rows[0];
  expect(after?.rules_version).toBe((before?.rules_version ?? 0) + 1);
  expect(sync.logs.some((line) => line.includes('is missing: copying the tables again'))).toBe(true);
});
