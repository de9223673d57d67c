import { beforeAll, expect, it } from 'vitest';
import { storageProblems } from '../../test/storage-invariants.ts';
import type { TestClient } from '../../test/test-client.ts';
import { useSync } from '../../test/use-sync.ts';
import { waitFor } from '../../test/wait-for.ts';
import { STORAGE_VERSION } from '../storage/storage-schema.ts';

/**
 * A client that synced from storage of the previous version holds ops whose subkeys (and REMOVE
 * checksums) differ from today's (storage version 5 adopted the official service's). Continuing
 * that oplog would let a later REMOVE miss the client's PUT: the row would stay on the client
 * forever with every checksum agreeing. The version change makes a new deploy with a new snapshot,
 * so the client's old ops can no longer validate: it downloads its buckets anew, and a row deleted
 * afterwards leaves it.
 */
const fixture = useSync();
let client: TestClient;
const DOC = '20000000-0000-4000-8000-000000000001';

beforeAll(async () => {
  client = await fixture.connect('alice');
});

const documentIds = async () =>
  (await client.rows<{ id: string }>('SELECT id FROM documents ORDER BY id')).map((r) => r.id);

it('a client holding ops with old subkeys loses a row deleted after the upgrade', async () => {
  const held = await documentIds();
  expect(held).toContain(DOC);
  const { rows: before } = await fixture.sync.sql.query<{ rules_version: number }>(
    'SELECT rules_version FROM powersync_storage.state',
  );
  await client.disconnect();
  // What the previous version left on both sides: its storage version, and subkeys of its format.
  await client.db.execute("UPDATE ps_oplog SET key = row_type || '/' || row_id || '/Ik-FJvssysDQ_x3xVMaraL'");
  const oldKeys = await client.rows<{ key: string }>("SELECT key FROM ps_oplog WHERE key LIKE 'documents/%' LIMIT 1");
  expect(oldKeys[0]?.key).toMatch(/Ik-FJvssysDQ_x3xVMaraL$/);
  await fixture.sync.restart(async () => {
    await fixture.sync.sql.query('UPDATE powersync_storage.state SET storage_version = $1', [STORAGE_VERSION - 1]);
  });
  await fixture.sync.ready();
  await client.reconnect();

  await fixture.sync.sql.query('DELETE FROM documents WHERE id = $1', [DOC]);
  await waitFor(async () => !(await documentIds()).includes(DOC), {
    timeoutMs: 30_000,
    message: 'the deleted row gone',
  });
  expect(await documentIds()).toEqual(held.filter((id) => id !== DOC));
  const { rows: after } = await fixture.sync.sql.query<{ rules_version: number; storage_version: number }>(
    'SELECT rules_version, storage_version FROM powersync_storage.state',
  );
  expect(after[0]).toEqual({ rules_version: (before[0]?.rules_version ?? 0) + 1, storage_version: STORAGE_VERSION });
  expect(await storageProblems(fixture.sync.sql)).toEqual([]);
  const keys = await client.rows<{ key: string }>("SELECT key FROM ps_oplog WHERE key LIKE 'documents/%'");
  expect(keys.length).toBeGreaterThan(0);
  for (const { key } of keys) expect(key).toMatch(/^documents\/[^/]+\/[0-9a-f-]{36}\/[0-9a-f-]{36}$/);
});
