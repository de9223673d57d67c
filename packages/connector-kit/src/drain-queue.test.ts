import { describe, expect, it } from 'vitest';
import { splitTransactions } from './drain-queue.ts';

const entry = (clientId: number, transactionId?: number) => ({ clientId, transactionId, toJSON: () => ({}) });

describe('splitTransactions', () => {
  it('groups consecutive operations of one transaction id, as getCrudTransactions() does', () => {
    const groups = splitTransactions([
      entry(1, 7),
      entry(2, 7),
      entry(3, 8),
      entry(4),
      entry(5),
      entry(7, 8),
      entry(8, 8),
    ]);
    expect(groups.map((g) => [g.transactionId, g.crud.map((e) => e.clientId)])).toEqual([
      [7, [1, 2]],
      [8, [3]],
      [undefined, [4]],
      [undefined, [5]],
      [8, [7, 8]],
    ]);
  });
});
