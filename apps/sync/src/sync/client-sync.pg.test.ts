import { describe, expect, it } from 'vitest';
import type { TestClient } from '../../test/test-client.ts';
import { useSync } from '../../test/use-sync.ts';
import { waitFor } from '../../test/wait-for.ts';

/**
 * Conformance with the official Node client (@powersync/node 1.1.0, Rust core 0.5.3): what lands
 * in the client's local tables, and that it never had to reconnect (a checksum mismatch would
 * close the iteration and make it reconnect).
 */
const fixture = useSync();
const { clients, connect } = fixture;

const count = async (client: TestClient, sql: string, params: unknown[] = []) =>
  (await client.rows<{ n: number }>(`SELECT count(*) AS n FROM (${sql})`, params))[0]?.n ?? -1;

describe('initial sync', () => {
  it('gives a clerk the team data and no patients', async () => {
    const alice = await connect('alice', 'clerk');
    expect(await count(alice, 'SELECT * FROM users')).toBe(6);
    expect(await count(alice, 'SELECT * FROM tasks')).toBe(4);
    expect(await count(alice, 'SELECT * FROM documents')).toBe(3);
    expect(await count(alice, 'SELECT * FROM inventory')).toBe(4);
    expect(await count(alice, 'SELECT * FROM orders')).toBe(5);
    expect(await count(alice, 'SELECT * FROM patients')).toBe(0);
  });

  it('gives clinical roles the patients, with values typed as the sync rules render them', async () => {
    const dan = await connect('dan', 'doctor');
    const nina = await connect('nina', 'nurse');
    expect(await count(nina, 'SELECT * FROM patients')).toBe(3);
    expect(await count(dan, 'SELECT * FROM patients')).toBe(3);
    const [maria] = await dan.rows<Record<string, unknown>>(
      `SELECT * FROM patients WHERE id = '30000000-0000-4000-8000-000000000001'`,
    );
    expect(maria).toMatchObject({
      name: 'Maria Lopez',
      date_of_birth: '1961-04-12',
      heart_rate: 78,
      temperature: 36.8,
      field_versions: '{}',
      updated_at: '2026-11-01T09:00:00.000000Z',
    });
  });
});

describe('live changes', () => {
  it('delivers inserts, updates and deletes to connected clients', async () => {
    const alice = clients[0] as TestClient;
    const id = '10000000-0000-4000-8000-0000000000aa';
    await fixture.sync.sql.query(
      `INSERT INTO tasks (id, title, created_by, created_at, modified_at, modified_by)
       VALUES ($1, 'Fresh task', 'carol', now(), now(), 'carol')`,
      [id],
    );
    await waitFor(async () => (await count(alice, 'SELECT * FROM tasks WHERE id = ?', [id])) === 1, {
      message: 'the insert',
    });
    await fixture.sync.sql.query(`UPDATE tasks SET status = 'done' WHERE id = $1`, [id]);
    await waitFor(
      async () =>
        (await alice.rows<{ status: string }>('SELECT status FROM tasks WHERE id = ?', [id]))[0]?.status === 'done',
      {
        message: 'the update',
      },
    );
    await fixture.sync.sql.query('DELETE FROM tasks WHERE id = $1', [id]);
    await waitFor(async () => (await count(alice, 'SELECT * FROM tasks WHERE id = ?', [id])) === 0, {
      message: 'the delete',
    });
  });

  it('applies a multi-row transaction as one checkpoint', async () => {
    const alice = clients[0] as TestClient;
    await fixture.sync.sql.query(`UPDATE inventory SET quantity = quantity + 100`);
    await waitFor(async () => (await count(alice, 'SELECT * FROM inventory WHERE quantity >= 100')) === 4, {
      message: 'all four stock levels',
    });
  });

  it('routes conflicts to their owner and open ones to reviewers', async () => {
    const rita = await connect('rita', 'reviewer');
    const alice = clients[0] as TestClient;
    const bob = await connect('bob', 'clerk');
    const id = '60000000-0000-4000-8000-0000000000c1';
    await fixture.sync.sql.query(
      `INSERT INTO write_conflicts (id, user_id, table_name, row_id, operation, strategy, code, message,
                                    client_values, client_id, op_id, created_at)
       VALUES ($1, 'alice', 'tasks', 'x', 'PUT', 'timestamp', 'STALE', 'stale', '{"title":"a"}', 'c', 1, now())`,
      [id],
    );
    const has = (client: TestClient) => async () =>
      (await count(client, 'SELECT * FROM write_conflicts WHERE id = ?', [id])) === 1;
    await waitFor(has(alice), { message: "alice's conflict" });
    await waitFor(has(rita), { message: 'the review queue' });
    expect(await count(bob, 'SELECT * FROM write_conflicts')).toBe(0);

    await fixture.sync.sql.query(
      `UPDATE write_conflicts SET status = 'resolved', resolution = 'server', resolved_by = 'rita', resolved_at = now()
        WHERE id = $1`,
      [id],
    );
    await waitFor(async () => (await count(rita, 'SELECT * FROM write_conflicts WHERE id = ?', [id])) === 0, {
      message: 'the resolved conflict to leave the review queue',
    });
    await waitFor(
      async () =>
        (await alice.rows<{ status: string }>('SELECT status FROM write_conflicts WHERE id = ?', [id]))[0]?.status ===
        'resolved',
      { message: 'alice to see it resolved' },
    );
  });

  it('resumes from what it has when it reconnects: nothing is sent again', async () => {
    const alice = clients[0] as TestClient;
    await alice.disconnect();
    await alice.reconnect();
    await waitFor(() => alice.requests.length === 2, { message: 'the second request' });
    const request = alice.requests[1] as { buckets: { name: string; after: string }[] };
    expect(request.buckets.map((b) => b.name)).toContain('1#team[]');
    for (const bucket of request.buckets) expect(Number(bucket.after)).toBeGreaterThan(0);
    await waitFor(() => alice.lines.some((l) => l.request === 1 && 'checkpoint_complete' in l.line), {
      message: 'the checkpoint of the second request',
    });
    expect(alice.lines.filter((l) => l.request === 1 && 'data' in l.line)).toEqual([]);
    expect(await count(alice, 'SELECT * FROM tasks')).toBe(4);
  });

  it('never needed a reconnect: every checkpoint validated', () => {
    for (const client of clients) {
      expect(client.requests).toHaveLength(client === clients[0] ? 2 : 1); // alice reconnected on purpose
      expect(client.logs.filter((line) => line.includes("Checksums didn't match"))).toEqual([]);
    }
  });
});
