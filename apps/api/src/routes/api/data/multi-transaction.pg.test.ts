import type { UploadManyResponse } from '@cr/connector-kit/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crud, IDS, type TestApp, testApp } from '../../../../test/helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ env: { API_MAX_OPERATIONS: '2000' } });
});
afterAll(() => t?.close());

async function uploadMany(user: string, clientId: string, transactions: unknown[][]) {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/data',
    headers: { authorization: `Bearer ${await t.token(user)}` },
    payload: { client_id: clientId, transactions: transactions.map((batch) => ({ batch })) },
  });
  return { status: response.statusCode, body: response.json() as UploadManyResponse };
}

const stock = async (id: string) =>
  (await t.sql<{ quantity: number }>('SELECT quantity FROM inventory WHERE id = $1', [id]))[0]?.quantity;

describe('POST /api/data, multi-transaction form (demo domain)', () => {
  it('applies a backlog of single-operation transactions once each, in order, with outcomes per transaction', async () => {
    const before = (await stock(IDS.mug)) as number;
    const c = crud();
    const transactions = Array.from({ length: 1500 }, (_, i) => [
      c.tx().patch('inventory', IDS.mug, { quantity: before + i + 1 }, { quantity: before + i }),
    ]);
    const first = await uploadMany('alice', 'multi-backlog', transactions);
    expect(first.status).toBe(200);
    expect(first.body.stopped).toBeUndefined();
    expect(first.body.transactions).toHaveLength(1500);
    expect(first.body.transactions.every((tx) => tx.outcomes[0]?.status === 'applied')).toBe(true);
    expect(await stock(IDS.mug)).toBe(before + 1500);
    // Redelivered whole, and a suffix of it: nothing changes, the answers are the same.
    const again = await uploadMany('alice', 'multi-backlog', transactions);
    expect(again.body).toEqual(first.body);
    const suffix = await uploadMany('alice', 'multi-backlog', transactions.slice(1000));
    expect(suffix.body.transactions).toEqual(first.body.transactions.slice(1000));
    expect(await stock(IDS.mug)).toBe(before + 1500);
  });

  it('keeps a rejected operation inside its own transaction: the others apply', async () => {
    const c = crud();
    const answer = await uploadMany('carol', 'multi-rules', [
      [c.tx().patch('inventory', IDS.cap, { quantity: 5 }, { quantity: 4 })],
      // Shipped orders cannot go back to pending: refused and recorded, the rest applies.
      [c.tx().patch('orders', IDS.shippedOrder, { status: 'pending' }, { status: 'shipped' })],
      [c.tx().patch('inventory', IDS.cap, { quantity: 6 }, { quantity: 5 })],
    ]);
    expect(answer.status).toBe(200);
    expect(answer.body.transactions.map((tx) => tx.outcomes.map((o) => o.status))).toEqual([
      ['applied'],
      ['rejected'],
      ['applied'],
    ]);
    expect(await stock(IDS.cap)).toBe(6);
  });

  it('refuses an upload over the operation limit in total (413), as the connector expects', async () => {
    const c = crud();
    const transactions = Array.from({ length: 3 }, () =>
      Array.from({ length: 700 }, () => c.patch('inventory', IDS.cap, { quantity: 1 }, { quantity: 2 })),
    );
    const answer = await uploadMany('carol', 'multi-big', transactions);
    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({ error: { code: 'TOO_MANY_OPERATIONS' } });
  });
});
