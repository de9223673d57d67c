import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS, type TestApp, testApp } from '../../../../test/helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const sale = (opId: number, from: number, to: number, id: string = IDS.mug) => ({
  op_id: opId,
  op: 'PATCH',
  type: 'inventory',
  id,
  tx_id: 1,
  data: { quantity: to },
  old: { quantity: from },
});

/**
 * An operation id that appears twice in one upload: the first is applied, the second is answered
 * and recorded as a rejection of its own (it cannot share the first one's ledger entry). Before,
 * the second was answered with the first one's outcome and silently dropped.
 */
describe('a duplicate operation id inside one upload', () => {
  it('is rejected and recorded, once, however often the upload is delivered', async () => {
    const batch = [sale(1, 10, 9), sale(1, 4, 2, IDS.cap), sale(2, 9, 8)];
    const first = await t.upload('alice', 'dup-in-batch', batch);
    expect(first.status).toBe(200);
    expect(first.body.outcomes.map((o) => [o.op_id, o.id, o.status, o.code])).toEqual([
      [1, IDS.mug, 'applied', undefined],
      [1, IDS.cap, 'rejected', 'DUPLICATE_OPERATION_ID'],
      [2, IDS.mug, 'applied', undefined],
    ]);
    const again = await t.upload('alice', 'dup-in-batch', batch);
    expect(again.body).toEqual(first.body);
    expect(
      await t.sql(`SELECT id, quantity FROM inventory WHERE id = ANY($1) ORDER BY id`, [[IDS.mug, IDS.cap]]),
    ).toEqual([
      { id: IDS.mug, quantity: 8 },
      { id: IDS.cap, quantity: 4 },
    ]);
    expect(await t.sql(`SELECT op_id, row_id, code, user_id FROM rejections WHERE client_id = 'dup-in-batch'`)).toEqual(
      [{ op_id: 1, row_id: IDS.cap, code: 'DUPLICATE_OPERATION_ID', user_id: 'alice' }],
    );
  });
});
