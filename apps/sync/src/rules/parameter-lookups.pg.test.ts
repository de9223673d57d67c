import { afterAll, beforeAll, expect, it } from 'vitest';
import { type SyncHarness, startSync } from '../../test/sync-harness.ts';
import { openClient, type TestClient } from '../../test/test-client.ts';
import { waitFor } from '../../test/wait-for.ts';

/**
 * Parameter queries that read tables (parameter lookups). The infra rules only use token-based
 * parameters today, so these rules are the test's own: bucket membership follows rows, and a
 * change to those rows reaches a connected client as a checkpoint_diff on the same connection.
 */
const RULES = `
config:
  edition: 2
bucket_definitions:
  by_role:
    parameters: SELECT role FROM users WHERE id = request.user_id()
    data:
      - SELECT id, name, role FROM users WHERE role = bucket.role
  assigned:
    parameters: SELECT id AS task_id FROM tasks WHERE assignee_id = request.user_id()
    data:
      - SELECT * FROM tasks WHERE id = bucket.task_id
`;

const T1 = '10000000-0000-4000-8000-000000000001'; // assigned to alice
const T3 = '10000000-0000-4000-8000-000000000003'; // unassigned
const T4 = '10000000-0000-4000-8000-000000000004'; // assigned to alice

let sync: SyncHarness;
let alice: TestClient;
let bob: TestClient;

beforeAll(async () => {
  sync = await startSync({ seed: true, syncRules: RULES });
  await sync.ready();
  alice = await openClient({ endpoint: sync.url, token: () => sync.jwks.sign({ sub: 'alice', role: 'clerk' }) });
  bob = await openClient({ endpoint: sync.url, token: () => sync.jwks.sign({ sub: 'bob', role: 'clerk' }) });
  await Promise.all([alice.db.waitForFirstSync(), bob.db.waitForFirstSync()]);
});
afterAll(async () => {
  await alice?.close();
  await bob?.close();
  await sync?.close();
});

const ids = async (client: TestClient, table: string) =>
  (await client.rows<{ id: string }>(`SELECT id FROM ${table} ORDER BY id`)).map((r) => r.id);

it('resolves buckets from table rows at connect', async () => {
  expect(await ids(alice, 'users')).toEqual(['alice', 'bob']);
  expect(await ids(alice, 'tasks')).toEqual([T1, T4]);
  const checkpoint = alice.linesOf('checkpoint')[0] as { buckets: { bucket: string }[] };
  expect(checkpoint.buckets.map((b) => b.bucket).sort()).toEqual([
    `1#assigned["${T1}"]`,
    `1#assigned["${T4}"]`,
    '1#by_role["clerk"]',
  ]);
});

it('moves a connected client to another bucket when its parameter row changes', async () => {
  await sync.sql.query(`UPDATE users SET role = 'manager' WHERE id = 'alice'`);
  await waitFor(async () => (await ids(alice, 'users')).join() === 'alice,carol', { message: "alice's new role" });
  const diffs = alice.linesOf('checkpoint_diff') as {
    removed_buckets: string[];
    updated_buckets: { bucket: string }[];
  }[];
  expect(diffs.some((d) => d.removed_buckets.includes('1#by_role["clerk"]'))).toBe(true);
  expect(diffs.some((d) => d.updated_buckets.some((b) => b.bucket === '1#by_role["manager"]'))).toBe(true);
  // For bob it is a data change: alice left his bucket.
  await waitFor(async () => (await ids(bob, 'users')).join() === 'bob', { message: 'bob to lose alice' });
});

it('adds and removes per-row buckets as rows are reassigned', async () => {
  await sync.sql.query(`UPDATE tasks SET assignee_id = 'alice' WHERE id = $1`, [T3]);
  await waitFor(async () => (await ids(alice, 'tasks')).join() === [T1, T3, T4].join(), { message: 'T3 to arrive' });
  await sync.sql.query(`UPDATE tasks SET assignee_id = 'bob' WHERE id = $1`, [T1]);
  await waitFor(async () => (await ids(alice, 'tasks')).join() === [T3, T4].join(), { message: 'T1 to leave' });
  await waitFor(async () => (await ids(bob, 'tasks')).includes(T1), { message: 'T1 to reach bob' });
});

it('prunes superseded parameter lookups without changing what clients see', async () => {
  const count = async () =>
    Number((await sync.sql.query('SELECT count(*) AS n FROM powersync_storage.parameter_index')).rows[0]?.n);
  await sync.caughtUp();
  const before = await count();
  const result = await sync.app.sync.service.compact();
  expect(result.prunedLookups).toBeGreaterThan(0);
  expect(await count()).toBeLessThan(before);
  // Membership still follows the rows after pruning.
  await sync.sql.query(`UPDATE tasks SET assignee_id = 'alice' WHERE id = $1`, [T1]);
  await waitFor(async () => (await ids(alice, 'tasks')).join() === [T1, T3, T4].join(), { message: 'T1 back' });
  await sync.sql.query(`UPDATE users SET role = 'clerk' WHERE id = 'alice'`);
  await waitFor(async () => (await ids(alice, 'users')).join() === 'alice,bob', { message: 'clerks again' });
});

it('did all of it on the first connection', () => {
  expect(alice.requests).toHaveLength(1);
  expect(bob.requests).toHaveLength(1);
});
