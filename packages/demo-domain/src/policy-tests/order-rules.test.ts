import { describe, expect, it } from 'vitest';
import { ctxFor, NOW, ORDER_ID, operation, order, rowsOf, run } from './fixtures.ts';

const edit = (data: Record<string, unknown>) => operation({ op: 'PATCH', type: 'orders', id: ORDER_ID, data });

describe('strategy 4: business rules (orders)', () => {
  it.each([
    ['pending', 'processing'],
    ['pending', 'cancelled'],
    ['processing', 'shipped'],
    ['processing', 'cancelled'],
    ['shipped', 'completed'],
  ])('allows %s → %s', (from, to) => {
    const rows = rowsOf([['orders', order({ status: from })]]);
    expect(run(edit({ status: to }), rows, ctxFor('alice')).outcome).toBe('applied');
    expect(rows.get('orders', ORDER_ID)).toMatchObject({ status: to, updated_by: 'alice', updated_at: NOW });
  });

  it.each([
    ['pending', 'shipped'],
    ['processing', 'pending'],
    ['shipped', 'pending'],
    ['shipped', 'cancelled'],
    ['completed', 'processing'],
    ['cancelled', 'pending'],
  ])('refuses %s → %s with a reason', (from, to) => {
    const rows = rowsOf([['orders', order({ status: from })]]);
    const decision = run(edit({ status: to }), rows, ctxFor('alice'));
    expect(decision).toMatchObject({ outcome: 'rejected', code: 'INVALID_TRANSITION' });
    expect(decision.outcome === 'rejected' && decision.message).toContain(`from ${from} to ${to}`);
    expect(rows.get('orders', ORDER_ID)?.status).toBe(from);
  });

  it('locks shipped and completed orders against other edits', () => {
    for (const status of ['shipped', 'completed', 'cancelled']) {
      const rows = rowsOf([['orders', order({ status })]]);
      expect(run(edit({ customer: 'Someone else' }), rows, ctxFor('carol'))).toMatchObject({ code: 'ORDER_LOCKED' });
    }
  });

  it('lets only a manager change the price, whatever the row data says', () => {
    const rows = rowsOf([['orders', order()]]);
    expect(run(edit({ price_cents: 100 }), rows, ctxFor('alice'))).toMatchObject({ code: 'PRICE_REQUIRES_MANAGER' });
    expect(rows.get('orders', ORDER_ID)?.price_cents).toBe(4800);
    expect(run(edit({ price_cents: 4500 }), rows, ctxFor('carol')).outcome).toBe('applied');
    expect(rows.get('orders', ORDER_ID)?.price_cents).toBe(4500);
  });

  it('treats an unchanged price as no price change', () => {
    const rows = rowsOf([['orders', order()]]);
    expect(run(edit({ price_cents: 4800, quantity: 13 }), rows, ctxFor('alice')).outcome).toBe('applied');
  });

  it('never takes manager approval from the client: the column does not exist', () => {
    expect(() => edit({ price_cents: 1, manager_approved: true })).toThrow(/UNKNOWN_COLUMN/);
  });

  it('refuses a negative quantity as an invalid value', () => {
    expect(() => edit({ quantity: -1 })).toThrow(/INVALID_VALUE/);
  });

  it('creates orders as pending only', () => {
    const rows = rowsOf([], [['orders', ORDER_ID]]);
    const put = (status: string) =>
      operation({
        op: 'PUT',
        type: 'orders',
        id: ORDER_ID,
        data: { customer: 'C', quantity: 1, price_cents: 100, status },
      });
    expect(run(put('shipped'), rows, ctxFor('alice'))).toMatchObject({ code: 'INVALID_TRANSITION' });
    expect(run(put('pending'), rows, ctxFor('alice')).outcome).toBe('applied');
  });

  it('deletes only pending or cancelled orders', () => {
    const del = operation({ op: 'DELETE', type: 'orders', id: ORDER_ID });
    expect(run(del, rowsOf([['orders', order({ status: 'shipped' })]]), ctxFor('alice'))).toMatchObject({
      code: 'ORDER_LOCKED',
    });
    const pending = rowsOf([['orders', order()]]);
    expect(run(del, pending, ctxFor('alice')).outcome).toBe('applied');
    expect(pending.get('orders', ORDER_ID)).toBeNull();
  });
});
