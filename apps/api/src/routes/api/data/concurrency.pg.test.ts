import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crud, IDS, type TestApp, testApp } from '../../../../test/helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe('concurrent uploads of the same stock', () => {
  it('two clerks each selling, at the same time: both counted', async () => {
    // Blue mug: 10 in stock. Alice sells 3, Bob sells 4, both offline from a view of 10.
    const [alice, bob] = await Promise.all([
      t.upload('alice', 'conc-alice', [crud().tx().patch('inventory', IDS.mug, { quantity: 7 }, { quantity: 10 })]),
      t.upload('bob', 'conc-bob', [crud().tx().patch('inventory', IDS.mug, { quantity: 6 }, { quantity: 10 })]),
    ]);
    expect([alice.body.outcomes[0]?.status, bob.body.outcomes[0]?.status]).toEqual(['applied', 'applied']);
    expect(await t.sql(`SELECT quantity FROM inventory WHERE id = $1`, [IDS.mug])).toEqual([{ quantity: 3 }]);
  });

  it('many clerks overselling at once: stock never negative, every sale counted or refused', async () => {
    // T-shirt M: 25 in stock; 12 clients each sell 3 (36 wanted).
    const uploads = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        t.upload(i % 2 ? 'alice' : 'bob', `oversell-${i}`, [
          crud().tx().patch('inventory', '40000000-0000-4000-8000-000000000002', { quantity: 22 }, { quantity: 25 }),
        ]),
      ),
    );
    const statuses = uploads.map((u) => u.body.outcomes[0]?.status);
    const applied = statuses.filter((s) => s === 'applied').length;
    expect(applied).toBe(8);
    expect(statuses.filter((s) => s === 'rejected')).toHaveLength(4);
    expect(
      await t.sql(`SELECT quantity FROM inventory WHERE id = $1`, ['40000000-0000-4000-8000-000000000002']),
    ).toEqual([{ quantity: 1 }]);
    const [refused] = await t.sql(`SELECT count(*)::int AS n FROM rejections WHERE code = 'INSUFFICIENT_STOCK'`);
    expect(refused?.n).toBe(4);
  });

  it('concurrent inserts of the same new row: the second sees the first (no lost write)', async () => {
    const id = '10000000-0000-4000-8000-0000000000aa';
    const put = (title: string) => [crud().tx().put('tasks', id, { title, modified_at: '2026-11-22T10:00:00.000Z' })];
    const [a, b] = await Promise.all([
      t.upload('alice', 'ins-a', put('From Alice')),
      t.upload('bob', 'ins-b', put('From Bob')),
    ]);
    const outcomes = [a.body.outcomes[0]?.status, b.body.outcomes[0]?.status].sort();
    expect(outcomes).toEqual(['applied', 'conflict']);
    const [row] = await t.sql<{ title: string; created_by: string }>(
      `SELECT title, created_by FROM tasks WHERE id = $1`,
      [id],
    );
    expect(row?.title).toBe(row?.created_by === 'alice' ? 'From Alice' : 'From Bob');
  });
});
