import { WorkingSet } from '@cr/strategies';
import { describe, expect, it } from 'vitest';
import { ctxFor, ORDER_ID, operation, order, rowsOf, run, TASK_ID } from './fixtures.ts';

const putOrder = (price: number, status = 'pending') =>
  operation({
    op: 'PUT',
    type: 'orders',
    id: ORDER_ID,
    data: { customer: 'Again', quantity: 1, price_cents: price, status },
  });

describe('tombstones: a deleted id is never reused', () => {
  it('refuses to re-create a row deleted earlier (a tombstone from the database)', () => {
    const rows = new WorkingSet();
    rows.load('orders', ORDER_ID, null, true);
    expect(run(putOrder(1), rows, ctxFor('alice'))).toMatchObject({ outcome: 'rejected', code: 'ROW_DELETED' });
    expect(rows.get('orders', ORDER_ID)).toBeNull();
  });

  it('refuses to re-create a row deleted earlier in the same batch', () => {
    const rows = rowsOf([['orders', order({ status: 'cancelled' })]]);
    const remove = operation({ op: 'DELETE', type: 'orders', id: ORDER_ID });
    expect(run(remove, rows, ctxFor('alice')).outcome).toBe('applied');
    expect(run(putOrder(1), rows, ctxFor('alice'))).toMatchObject({ code: 'ROW_DELETED' });
  });

  it('lets a new id through, and a PATCH of a deleted row stays ROW_NOT_FOUND', () => {
    const rows = new WorkingSet();
    rows.load('tasks', TASK_ID, null, true);
    const patch = operation({
      op: 'PATCH',
      type: 'tasks',
      id: TASK_ID,
      data: { title: 'x', modified_at: '2026-11-22T10:00:00.000Z' },
      old: { modified_at: '2026-11-01T09:00:00.000Z' },
    });
    expect(run(patch, rows, ctxFor('alice'))).toMatchObject({ code: 'ROW_NOT_FOUND' });
    rows.load('orders', ORDER_ID, null);
    expect(run(putOrder(100), rows, ctxFor('alice')).outcome).toBe('applied');
  });
});
