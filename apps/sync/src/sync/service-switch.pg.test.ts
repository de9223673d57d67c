import { afterAll, beforeAll, expect, it } from 'vitest';
import { type SyncHarness, startSync } from '../../test/sync-harness.ts';
import { openClient, type TestClient } from '../../test/test-client.ts';
import { waitFor } from '../../test/wait-for.ts';
import { deployChecksum } from '../protocol/checksum.ts';

/**
 * A client whose local database was synced by another service, then connects here. Its oplog
 * names rows with that service's subkeys (another table uuid), so our REMOVEs cannot supersede
 * its PUTs; only a failed checksum makes it download its buckets anew. The other service's state
 * is built in the client's own tables from what this one sent (an insert-only history, the case
 * where both services' PUT checksums sum the same):
 * - the official service: no leading CLEAR (`add_checksum` 0);
 * - another deploy of this service: its own leading CLEAR;
 * - control: a history that sums exactly as here (only a 32-bit collision could give that). It
 *   keeps the deleted row, which shows the first two are saved by the checksum and nothing else.
 */
let sync: SyncHarness;
const clients: Record<'official' | 'otherDeploy' | 'control', TestClient | null> = {
  official: null,
  otherDeploy: null,
  control: null,
};
const DOC = '20000000-0000-4000-8000-000000000001';
const FOREIGN_TABLE_UUID = '6f1d3c1e-5b2a-4c3d-9e8f-0a1b2c3d4e5f';

const documentIds = async (client: TestClient) =>
  (await client.rows<{ id: string }>('SELECT id FROM documents ORDER BY id')).map((r) => r.id);

/** Rewrites the client's oplog keys and bucket checksums as the other service would have left them. */
async function asIfSyncedElsewhere(client: TestClient, addChecksum: (bucket: string) => number) {
  await client.disconnect();
  // key = type/id/<table uuid>/<replica uuid>: only the table uuid differs between services.
  await client.db.execute(
    `UPDATE ps_oplog SET key = row_type || '/' || row_id || '/' || ? ||
       substr(key, length(row_type) + length(row_id) + 3 + 36)`,
    [FOREIGN_TABLE_UUID],
  );
  const buckets = await client.rows<{ name: string; add_checksum: number }>(
    'SELECT name, add_checksum FROM ps_buckets',
  );
  for (const { name } of buckets) {
    await client.db.execute('UPDATE ps_buckets SET add_checksum = ? WHERE name = ?', [addChecksum(name) | 0, name]);
  }
  const keys = await client.rows<{ key: string }>("SELECT key FROM ps_oplog WHERE key LIKE 'documents/%'");
  expect(keys.length).toBeGreaterThan(0);
  for (const { key } of keys) expect(key).toContain(`/${FOREIGN_TABLE_UUID}/`);
  return buckets;
}

beforeAll(async () => {
  sync = await startSync({ seed: true });
  await sync.ready();
  for (const name of Object.keys(clients) as (keyof typeof clients)[]) {
    const client = await openClient({
      endpoint: sync.url,
      token: () => sync.jwks.sign({ sub: 'alice', role: 'clerk' }),
    });
    clients[name] = client;
    await client.db.waitForFirstSync();
  }
});
afterAll(async () => {
  for (const client of Object.values(clients)) await client?.close();
  await sync?.close();
  await sync?.jwks.close().catch(() => {});
});

it('a client synced by another service or deploy does not keep a row deleted here', async () => {
  const { official, otherDeploy, control } = clients;
  if (!official || !otherDeploy || !control) throw new Error('clients not open');
  const held = await documentIds(official);
  expect(held).toContain(DOC);
  // Insert-only so far: the leading CLEAR is all that was added beside the ops' own checksums.
  const superseded = await official.rows<{ n: number }>(
    'SELECT count(*) AS n FROM ps_oplog GROUP BY bucket, key HAVING n > 1',
  );
  expect(superseded).toEqual([]);
  await asIfSyncedElsewhere(official, () => 0);
  await asIfSyncedElsewhere(otherDeploy, (bucket) => deployChecksum('powersync_other_deploy', bucket));
  const controlBuckets = await asIfSyncedElsewhere(control, () => 0);
  // Control: put back this deploy's own term, so its sums agree with ours.
  for (const { name, add_checksum } of controlBuckets) {
    await control.db.execute('UPDATE ps_buckets SET add_checksum = ? WHERE name = ?', [add_checksum, name]);
  }

  for (const client of [official, otherDeploy, control]) await client.reconnect();
  await sync.sql.query('DELETE FROM documents WHERE id = $1', [DOC]);
  await sync.caughtUp();
  for (const client of [official, otherDeploy]) {
    await waitFor(async () => !(await documentIds(client)).includes(DOC), {
      timeoutMs: 30_000,
      message: 'the deleted row gone',
    });
    expect(await documentIds(client)).toEqual(held.filter((id) => id !== DOC));
    // Downloaded anew: every op carries this service's subkeys again.
    const foreign = await client.rows("SELECT key FROM ps_oplog WHERE key LIKE '%' || ? || '%'", [FOREIGN_TABLE_UUID]);
    expect(foreign).toEqual([]);
  }

  // The control validated the same checkpoint (its buckets are at the newest op) yet kept the row.
  const { rows } = await sync.sql.query<{ max: string }>('SELECT max(op_id)::text AS max FROM powersync_storage.ops');
  const newest = Number(rows[0]?.max);
  await waitFor(
    async () => {
      const behind = await control.rows("SELECT name FROM ps_buckets WHERE name != '$local' AND last_op < ?", [newest]);
      return behind.length === 0;
    },
    { timeoutMs: 30_000, message: 'the control client at the newest checkpoint' },
  );
  expect(await documentIds(control)).toContain(DOC);
}, 90_000);
