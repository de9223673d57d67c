import { describe, expect, it } from 'vitest';
import type { IssuedTx, UploadAttempt } from '../history.ts';
import { history } from './fixtures.ts';
import { checkInventory } from './inventory.ts';

const item = (quantity: number) => ({ id: 'mug', sku: 'MUG', name: 'Mug', quantity: String(quantity) });
const sale = (opId: number, delta: number): IssuedTx['ops'][number] => ({
  opId,
  op: 'PATCH',
  table: 'inventory',
  id: 'mug',
  data: { quantity: 0 },
  old: { quantity: 0 },
  metadata: { delta },
});
const issued: IssuedTx[] = [
  { client: 'c1', at: 0, txId: 1, kind: 'stock', ops: [sale(1, -3), sale(2, 5), sale(3, -50)] },
];
const uploads: UploadAttempt[] = [
  {
    client: 'c1',
    at: 0,
    txId: 1,
    opIds: [1, 2, 3],
    status: 200,
    outcomes: [
      { op_id: 1, table: 'inventory', id: 'mug', status: 'applied' },
      { op_id: 2, table: 'inventory', id: 'mug', status: 'applied' },
      { op_id: 3, table: 'inventory', id: 'mug', status: 'rejected', code: 'INSUFFICIENT_STOCK' },
    ],
    dropped: false,
    completed: true,
  },
];
const check = (versions: [number, number][]) =>
  checkInventory({
    issued,
    uploads,
    rows: [
      history(
        'inventory',
        'mug',
        versions.map(([seq, quantity]) => [seq, item(quantity)]),
      ),
    ],
    startSeq: 1,
  }).violations.map((v) => v.message);

describe('checkInventory', () => {
  it('accepts start plus the applied deltas, refused ones not counted', () => {
    expect(
      check([
        [1, 10],
        [2, 7],
        [3, 12],
      ]),
    ).toEqual([]);
  });

  it('finds a delta applied twice, or lost', () => {
    expect(
      check([
        [1, 10],
        [2, 7],
        [3, 4],
        [4, 9],
      ]),
    ).toHaveLength(1);
    expect(
      check([
        [1, 10],
        [2, 15],
      ]),
    ).toHaveLength(1);
  });

  it('finds a committed version below zero', () => {
    expect(
      check([
        [1, 10],
        [2, -1],
        [3, 12],
      ])[0],
    ).toContain('went to -1');
  });
});
