import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crud, IDS, type TestApp, testApp } from '../../../../test/helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

/**
 * Policy: every operation gets its own outcome. A permanently failing operation (here one that
 * Postgres refuses: a duplicate SKU, a missing product) is recorded as rejected and acknowledged
 * with the rest of its transaction, so the client completes it and the queue moves on. Only the
 * failing operation is lost to the database, and it is kept in `rejections` for its author.
 */
describe('a permanently failing operation does not block the queue', () => {
  it('isolates a database-refused operation in the middle of a transaction and applies the others', async () => {
    const c = crud();
    const fresh = '40000000-0000-4000-8000-0000000000a1';
    const duplicate = '40000000-0000-4000-8000-0000000000a2';
    const result = await t.upload('carol', 'poison-client', [
      c.tx().put('inventory', fresh, { sku: 'LAMP-1', name: 'Desk lamp', quantity: 5 }),
      c.put('inventory', duplicate, { sku: 'MUG-BLUE', name: 'Another blue mug', quantity: 1 }),
      c.patch('inventory', IDS.mug, { quantity: 9 }, { quantity: 10 }),
    ]);
    expect(result.status).toBe(200);
    expect(result.body.outcomes.map((o) => [o.status, o.code])).toEqual([
      ['applied', undefined],
      ['rejected', 'CONSTRAINT_VIOLATION'],
      ['applied', undefined],
    ]);
    expect(result.body.outcomes[1]?.message).toContain('inventory_sku_key');
    expect(
      await t.sql(`SELECT sku, quantity FROM inventory WHERE id = ANY($1) ORDER BY sku`, [[fresh, duplicate, IDS.mug]]),
    ).toEqual([
      { sku: 'LAMP-1', quantity: 5 },
      { sku: 'MUG-BLUE', quantity: 9 },
    ]);
    const [recorded] = await t.sql(`SELECT user_id, row_id, code FROM rejections WHERE code = 'CONSTRAINT_VIOLATION'`);
    expect(recorded).toEqual({ user_id: 'carol', row_id: duplicate, code: 'CONSTRAINT_VIOLATION' });

    const next = await t.upload('carol', 'poison-client', [
      c.tx().patch('inventory', IDS.mug, { quantity: 8 }, { quantity: 9 }),
    ]);
    expect(next.body.outcomes[0]?.status).toBe('applied');
    expect(await t.sql(`SELECT quantity FROM inventory WHERE id = $1`, [IDS.mug])).toEqual([{ quantity: 8 }]);
  });

  it('records an order for a product that does not exist (foreign key) and moves on', async () => {
    const c = crud();
    const order = '50000000-0000-4000-8000-0000000000b1';
    const result = await t.upload('alice', 'fk-client', [
      c.tx().put('orders', order, {
        customer: 'Nobody',
        product_id: '40000000-0000-4000-8000-0000000000ff',
        quantity: 1,
        price_cents: 100,
        status: 'pending',
      }),
    ]);
    expect(result.body.outcomes[0]).toMatchObject({ status: 'rejected', code: 'CONSTRAINT_VIOLATION' });
    expect(await t.sql(`SELECT id FROM orders WHERE id = $1`, [order])).toEqual([]);
  });
});
