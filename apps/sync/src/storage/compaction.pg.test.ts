import { expect, it } from 'vitest';
import type { TestClient } from '../../test/test-client.ts';
import { useSync } from '../../test/use-sync.ts';
import { waitFor } from '../../test/wait-for.ts';

/**
 * Compaction with MOVE and CLEAR keeps bucket checksums: clients that are up to date, clients
 * that were offline before it, and new clients all end up with the same rows and no checksum
 * failure; new clients download fewer ops.
 */
const fixture = useSync();
const { clients } = fixture;
const DOC = '20000000-0000-4000-8000-000000000003';
const TEAM = '1#team[]';

const open = (sub: string) => fixture.connect(sub);
const snapshotOf = (client: TestClient) =>
  client.rows('SELECT id, title, version FROM documents UNION ALL SELECT id, name, quantity FROM inventory ORDER BY 1');
const bucketState = async () =>
  (
    await fixture.sync.sql.query('SELECT checksum, op_count FROM powersync_storage.bucket_state WHERE bucket = $1', [
      TEAM,
    ])
  ).rows[0] as { checksum: string; op_count: string };

it('compacts a bucket without changing its checksum, and every kind of client converges', async () => {
  const live = await open('alice');
  const offline = await open('bob');
  await offline.disconnect();

  for (let version = 2; version <= 40; version++) {
    await fixture.sync.sql.query('UPDATE documents SET version = $1, title = $2 WHERE id = $3', [
      version,
      `Contacts v${version}`,
      DOC,
    ]);
  }
  await fixture.sync.sql.query(`DELETE FROM orders WHERE status = 'cancelled'`);
  await fixture.sync.sql.query(
    `DELETE FROM inventory WHERE sku = 'BAG-TOTE' AND NOT EXISTS (SELECT 1 FROM orders WHERE product_id = inventory.id)`,
  );
  await waitFor(
    async () =>
      (await live.rows<{ version: number }>('SELECT version FROM documents WHERE id = ?', [DOC]))[0]?.version === 40,
    {
      message: 'the last edit',
    },
  );

  await fixture.sync.caughtUp();
  const before = await bucketState();
  const result = await fixture.sync.app.sync.service.compact();
  expect(result.movedOps + result.clearedOps).toBeGreaterThan(30);
  const after = await bucketState();
  expect(after.checksum).toBe(before.checksum);
  const kinds = await fixture.sync.sql.query(
    'SELECT DISTINCT op FROM powersync_storage.ops WHERE bucket = $1 ORDER BY op',
    [TEAM],
  );
  expect(kinds.rows.map((r) => r.op)).toContain(3); // MOVE (the earliest ops are live seed rows, so no CLEAR here)

  // A client that was offline since before the edits, and a new one.
  await offline.reconnect();
  const fresh = await open('carol');
  await fixture.sync.sql.query(`UPDATE documents SET title = 'Contacts (final)' WHERE id = $1`, [DOC]);
  const expected = async () => {
    const rows = await fixture.sync.sql.query(
      `SELECT id::text, title, version FROM documents UNION ALL SELECT id::text, name, quantity FROM inventory ORDER BY 1`,
    );
    return rows.rows;
  };
  for (const client of [live, offline, fresh]) {
    await waitFor(async () => JSON.stringify(await snapshotOf(client)) === JSON.stringify(await expected()), {
      message: 'the client to match Postgres',
    });
    expect(client.logs.filter((line) => line.includes("Checksums didn't match"))).toEqual([]);
  }
  const freshOps = fresh.linesOf('data').flatMap((d) => d.data as { op: string }[]);
  expect(freshOps.some((op) => op.op === 'MOVE')).toBe(true);
});

it('replaces a dead prefix of a bucket with one CLEAR', async () => {
  // Everything in the team bucket before this point gets superseded: delete and re-insert the data.
  await fixture.sync.sql.query(`UPDATE users SET name = name || '.'`);
  await fixture.sync.sql.query(
    'BEGIN; DELETE FROM orders; DELETE FROM tasks; DELETE FROM inventory; DELETE FROM documents; COMMIT',
  );
  await fixture.sync.caughtUp();
  const before = await bucketState();
  await fixture.sync.app.sync.service.compact();
  const after = await bucketState();
  expect(after.checksum).toBe(before.checksum);
  expect(Number(after.op_count)).toBeLessThan(Number(before.op_count));
  const first = await fixture.sync.sql.query(
    'SELECT op FROM powersync_storage.ops WHERE bucket = $1 ORDER BY op_id LIMIT 1',
    [TEAM],
  );
  expect(first.rows[0]?.op).toBe(4); // CLEAR

  const late = await open('dan');
  expect(late.linesOf('data').flatMap((d) => d.data as { op: string }[])[0]?.op).toBe('CLEAR');
  expect(await late.rows('SELECT * FROM documents')).toEqual([]);
  expect((await late.rows('SELECT * FROM users')).length).toBe(6);
  for (const client of clients) {
    await waitFor(async () => (await client.rows('SELECT * FROM documents')).length === 0, { message: 'the deletes' });
    expect(client.logs.filter((line) => line.includes("Checksums didn't match"))).toEqual([]);
  }
});
