import { describe, expect, it } from 'vitest';
import { history } from './fixtures.ts';
import { checkOrders } from './orders.ts';

const order = (status: string, price = '100', by = 'alice') => ({
  id: 'o',
  customer: 'Cafe',
  product_id: null,
  quantity: '2',
  price_cents: price,
  status,
  updated_by: by,
});
const ROLES: Record<string, string> = { alice: 'clerk', carol: 'manager' };
const check = (versions: [number, ReturnType<typeof order> | null][]) =>
  checkOrders({ rows: [history('orders', 'o', versions)], startSeq: 1, roleOf: (user) => ROLES[user] }).violations.map(
    (v) => v.message,
  );

describe('checkOrders', () => {
  it('accepts a legal life, a manager price change and deleting a cancelled order', () => {
    expect(
      check([
        [2, order('pending')],
        [3, order('pending', '150', 'carol')],
        [4, order('processing', '150')],
        [5, order('cancelled', '150')],
        [6, null],
      ]),
    ).toEqual([]);
  });

  it('finds an illegal transition, a change of a locked order, a clerk price change, a bad delete', () => {
    expect(
      check([
        [2, order('completed')],
        [3, order('cancelled')],
      ])[0],
    ).toContain('went from completed to cancelled');
    expect(
      check([
        [1, order('shipped')],
        [3, order('shipped', '90', 'carol')],
      ])[0],
    ).toContain('while shipped');
    expect(
      check([
        [2, order('pending')],
        [3, order('pending', '90')],
      ])[0],
    ).toContain('price changed by alice');
    expect(
      check([
        [1, order('processing')],
        [3, null],
      ])[0],
    ).toContain('deleted while processing');
    expect(check([[2, order('unknown')]])[0]).toContain('created unknown');
    expect(
      check([
        [2, order('pending')],
        [3, order('shipped')],
        [4, order('processing')],
      ])[0],
    ).toContain('went from shipped to processing');
  });

  it('accepts several legal steps in one committed version (one upload, one transaction)', () => {
    expect(
      check([
        [2, order('processing')],
        [3, order('completed')],
      ]),
    ).toEqual([]);
  });

  it('does not judge the seed', () => {
    expect(check([[1, order('completed')]])).toEqual([]);
  });
});
