import { beforeAll, expect, it } from 'vitest';
import { storageProblems } from '../../test/storage-invariants.ts';
import type { TestClient } from '../../test/test-client.ts';
import { useSync } from '../../test/use-sync.ts';
import { waitFor } from '../../test/wait-for.ts';

/**
 * Storage left inconsistent by an older version (ops written beyond the state row's checkpoint
 * when it was stopped mid-write) must never wedge a start: the service finds them, copies the
 * tables again under a new deploy (op ids continue above everything stored), and clients move
 * to the new buckets.
 */
const fixture = useSync();
let client: TestClient;
const DOC = '20000000-0000-4000-8000-000000000001';

beforeAll(async () => {
  client = await fixture.connect('alice');
});

const title = async () =>
  (await client.rows<{ title: string }>('SELECT title FROM documents WHERE id = ?', [DOC]))[0]?.title;

it('rebuilds storage that holds ops beyond its checkpoint, instead of failing on every start', async () => {
  const { rows: before } = await fixture.sync.sql.query<{ last_op_id: string; rules_version: number }>(
    'SELECT last_op_id, rules_version FROM powersync_storage.state',
  );
  const checkpoint = Number(before[0]?.last_op_id);
  const orphan = checkpoint + 3;
  await fixture.sync.restart(async () => {
    // What the old stop left behind: a write's ops, committed without the state row.
    await fixture.sync.sql.query(
      `INSERT INTO powersync_storage.ops (bucket, op_id, op, object_type, object_id, subkey, data, checksum)
       SELECT bucket, $1 + n, 1, 'documents', $2, 'x', '{}', 7 FROM powersync_storage.bucket_state, generate_series(1, 3) n
        WHERE bucket LIKE '%team%'`,
      [checkpoint, DOC],
    );
    await fixture.sync.sql.query('UPDATE documents SET title = $1 WHERE id = $2', ['Changed before the repair', DOC]);
  });
  await fixture.sync.ready();
  await waitFor(async () => (await title()) === 'Changed before the repair', {
    timeoutMs: 30_000,
    message: 'the client on the rebuilt buckets',
  });

  expect(fixture.sync.logs.some((line) => line.includes(`beyond its checkpoint ${checkpoint}`))).toBe(true);
  const { rows: after } = await fixture.sync.sql.query<{ last_op_id: string; rules_version: number }>(
    'SELECT last_op_id, rules_version FROM powersync_storage.state',
  );
  expect(after[0]?.rules_version).toBe((before[0]?.rules_version ?? 0) + 1);
  expect(Number(after[0]?.last_op_id)).toBeGreaterThan(orphan);
  expect(await storageProblems(fixture.sync.sql)).toEqual([]);
  expect(fixture.sync.logs.join('\n')).not.toContain('duplicate key');

  await fixture.sync.sql.query('UPDATE documents SET title = $1 WHERE id = $2', ['And after it', DOC]);
  await waitFor(async () => (await title()) === 'And after it', { message: 'replication after the repair' });
});
