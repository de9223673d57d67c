import { describe, expect, it } from 'vitest';
import { ctxFor, operation, PRODUCT_ID, product, rowsOf, run } from './fixtures.ts';

const sale = (from: number, to: number, metadata?: Record<string, unknown>) =>
  operation({
    op: 'PATCH',
    type: 'inventory',
    id: PRODUCT_ID,
    data: { quantity: to },
    old: { quantity: from },
    ...(metadata ? { metadata: JSON.stringify(metadata) } : {}),
  });

describe('strategy 7: cumulative deltas (inventory)', () => {
  it('applies the change the client made, not the absolute number it uploaded', () => {
    const rows = rowsOf([['inventory', product({ quantity: 6 })]]); // someone else sold 4 meanwhile
    expect(run(sale(10, 7), rows, ctxFor('alice')).outcome).toBe('applied');
    expect(rows.get('inventory', PRODUCT_ID)?.quantity).toBe(3);
  });

  it('counts two offline sales of the same item', () => {
    const rows = rowsOf([['inventory', product()]]);
    run(sale(10, 7), rows, ctxFor('alice'));
    run(sale(10, 6), rows, ctxFor('bob'));
    expect(rows.get('inventory', PRODUCT_ID)?.quantity).toBe(3);
  });

  it('refuses a change that would take stock below zero, with the numbers', () => {
    const rows = rowsOf([['inventory', product({ quantity: 2 })]]);
    const decision = run(sale(10, 5), rows, ctxFor('alice'));
    expect(decision).toMatchObject({ outcome: 'rejected', code: 'INSUFFICIENT_STOCK' });
    expect(decision.outcome === 'rejected' && decision.message).toBe('Only 2 of Blue mug in stock; cannot take 5.');
    expect(rows.get('inventory', PRODUCT_ID)?.quantity).toBe(2);
  });

  it('uses an explicit delta from metadata, and checks it against the edit', () => {
    const rows = rowsOf([['inventory', product()]]);
    expect(run(sale(10, 7, { delta: -3 }), rows, ctxFor('alice')).outcome).toBe('applied');
    expect(rows.get('inventory', PRODUCT_ID)?.quantity).toBe(7);
    expect(run(sale(10, 7, { delta: -2 }), rows, ctxFor('alice'))).toMatchObject({ code: 'INCONSISTENT_DELTA' });
    const intentOnly = operation({ op: 'PATCH', type: 'inventory', id: PRODUCT_ID, data: {}, metadata: '{"delta":5}' });
    expect(run(intentOnly, rows, ctxFor('alice')).outcome).toBe('applied');
    expect(rows.get('inventory', PRODUCT_ID)?.quantity).toBe(12);
  });

  it('lets the delta decide when a stale base makes the uploaded absolute value negative', () => {
    const rows = rowsOf([['inventory', product()]]); // 10 on the server; the client saw 1 and sold 2
    expect(run(sale(1, -1, { delta: -2 }), rows, ctxFor('alice')).outcome).toBe('applied');
    expect(run(sale(0, -2), rows, ctxFor('bob')).outcome).toBe('applied');
    expect(rows.get('inventory', PRODUCT_ID)?.quantity).toBe(6);
  });

  it('refuses a result the column cannot store, however it was stated', () => {
    const rows = rowsOf([['inventory', product()]]);
    expect(run(sale(0, 2_147_483_640), rows, ctxFor('alice'))).toMatchObject({ code: 'INVALID_VALUE' });
    expect(() => sale(0, 1e300)).toThrow(/INVALID_VALUE/);
    expect(rows.get('inventory', PRODUCT_ID)?.quantity).toBe(10);
  });

  it('never treats a bare absolute quantity as a delta', () => {
    const rows = rowsOf([['inventory', product()]]);
    const bare = operation({ op: 'PATCH', type: 'inventory', id: PRODUCT_ID, data: { quantity: 3 } });
    expect(run(bare, rows, ctxFor('alice'))).toMatchObject({ outcome: 'rejected', code: 'MISSING_DELTA_BASE' });
    expect(rows.get('inventory', PRODUCT_ID)?.quantity).toBe(10);
  });

  it('applies other columns as plain values', () => {
    const rows = rowsOf([['inventory', product()]]);
    const rename = operation({
      op: 'PATCH',
      type: 'inventory',
      id: PRODUCT_ID,
      data: { name: 'Navy mug' },
      old: { quantity: 10 },
    });
    expect(run(rename, rows, ctxFor('carol')).outcome).toBe('applied');
    expect(rows.get('inventory', PRODUCT_ID)).toMatchObject({ name: 'Navy mug', quantity: 10, updated_by: 'carol' });
  });

  it('creates products with a stock of zero or more, and never over an existing one', () => {
    expect(() =>
      operation({ op: 'PUT', type: 'inventory', id: PRODUCT_ID, data: { sku: 'X1', name: 'X', quantity: -1 } }),
    ).toThrow(/INVALID_VALUE/);
    const rows = rowsOf([['inventory', product()]]);
    const put = operation({
      op: 'PUT',
      type: 'inventory',
      id: PRODUCT_ID,
      data: { sku: 'X1', name: 'X', quantity: 50 },
    });
    expect(run(put, rows, ctxFor('alice'))).toMatchObject({ code: 'ROW_EXISTS' });
  });
});
