import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crud, IDS, type TestApp, testApp } from '../../../../test/helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const orderRow = (id: string) =>
  t.sql(`SELECT status, price_cents, created_by FROM orders WHERE id = $1`, [id]) as Promise<unknown[]>;

const newOrder = (status = 'pending', price = 1) => ({
  customer: 'Revived',
  quantity: 1,
  price_cents: price,
  status,
});

/**
 * A deleted row leaves a tombstone, and its id cannot be used again: before, a clerk could delete
 * a pending order and PUT it back with any price (a price change without a manager), and a
 * cancelled order could be revived as pending the same way.
 */
describe("a deleted row's rules still hold for its id", () => {
  it('a clerk cannot re-create a deleted order with another price, in two uploads or in one', async () => {
    const c = crud();
    const deleted = await t.upload('alice', 'tomb-alice', [c.tx().del('orders', IDS.pendingOrder)]);
    expect(deleted.body.outcomes[0]?.status).toBe('applied');
    const revived = await t.upload('alice', 'tomb-alice', [c.tx().put('orders', IDS.pendingOrder, newOrder())]);
    expect(revived.body.outcomes[0]).toMatchObject({ status: 'rejected', code: 'ROW_DELETED' });
    expect(await orderRow(IDS.pendingOrder)).toEqual([]);
    expect(
      await t.sql(`SELECT table_name, row_id, deleted_by FROM deleted_rows WHERE row_id = $1`, [IDS.pendingOrder]),
    ).toEqual([{ table_name: 'orders', row_id: IDS.pendingOrder, deleted_by: 'alice' }]);

    const order = '50000000-0000-4000-8000-0000000000c1';
    const created = await t.upload('carol', 'tomb-carol', [crud().tx().put('orders', order, newOrder('pending', 900))]);
    expect(created.body.outcomes[0]?.status).toBe('applied');
    const b = crud();
    const oneUpload = await t.upload('bob', 'tomb-bob', [
      b.tx().del('orders', order),
      b.put('orders', order, newOrder('pending', 1)),
    ]);
    expect(oneUpload.body.outcomes.map((o) => [o.status, o.code])).toEqual([
      ['applied', undefined],
      ['rejected', 'ROW_DELETED'],
    ]);
    expect(await orderRow(order)).toEqual([]);
  });

  it('a cancelled order stays final: deleting it does not allow it back as pending', async () => {
    const c = crud();
    const order = '50000000-0000-4000-8000-0000000000c2';
    await t.upload('alice', 'tomb-cancel', [c.tx().put('orders', order, newOrder('pending', 500))]);
    await t.upload('alice', 'tomb-cancel', [
      c.tx().patch('orders', order, { status: 'cancelled' }, { status: 'pending' }),
    ]);
    await t.upload('alice', 'tomb-cancel', [c.tx().del('orders', order)]);
    const revived = await t.upload('alice', 'tomb-cancel', [c.tx().put('orders', order, newOrder('pending', 500))]);
    expect(revived.body.outcomes[0]).toMatchObject({ status: 'rejected', code: 'ROW_DELETED' });
    expect(await orderRow(order)).toEqual([]);
    const [recorded] = await t.sql(`SELECT code, user_id FROM rejections WHERE row_id = $1`, [order]);
    expect(recorded).toEqual({ code: 'ROW_DELETED', user_id: 'alice' });
  });

  it('holds for every table: a deleted task id cannot come back either', async () => {
    const c = crud();
    const task = '10000000-0000-4000-8000-0000000000c3';
    const put = () => c.tx().put('tasks', task, { title: 'Once', modified_at: '2026-11-22T10:00:00.000Z' });
    await t.upload('bob', 'tomb-task', [put()]);
    await t.upload('bob', 'tomb-task', [c.tx().del('tasks', task, { modified_at: '2026-11-22T10:00:00.000Z' })]);
    const again = await t.upload('bob', 'tomb-task', [put()]);
    expect(again.body.outcomes[0]).toMatchObject({ status: 'rejected', code: 'ROW_DELETED' });
    expect(await t.sql(`SELECT id FROM tasks WHERE id = $1`, [task])).toEqual([]);
  });

  it('a re-creation racing the delete is refused too (the database backs the check)', async () => {
    for (let round = 0; round < 8; round++) {
      const order = `50000000-0000-4000-8000-0000000001${String(round).padStart(2, '0')}`;
      await t.upload('carol', `race-setup-${round}`, [crud().tx().put('orders', order, newOrder('pending', 900))]);
      const [, revive] = await Promise.all([
        t.upload('alice', `race-del-${round}`, [crud().tx().del('orders', order)]),
        t.upload('bob', `race-put-${round}`, [crud().tx().put('orders', order, newOrder('pending', 1))]),
      ]);
      // Before the delete, the PUT meets the live order and a clerk's price change is refused;
      // after it, the id is a tombstone. Either way nothing comes back at price 1.
      expect(revive.body.outcomes[0]?.status).toBe('rejected');
      expect(await orderRow(order)).toEqual([]);
    }
  });
});
