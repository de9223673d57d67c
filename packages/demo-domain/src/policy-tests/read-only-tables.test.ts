import { rejectionRow } from '@cr/strategies';
import { describe, expect, it } from 'vitest';
import { ctxFor, NOW, operation, rowsOf, run } from './fixtures.ts';

const REJECTION_ID = '80000000-0000-4000-8000-000000000001';

describe('read-only and server-owned tables', () => {
  it('refuses every client write to users', () => {
    const rows = rowsOf([['users', { id: 'alice', name: 'Alice', role: 'clerk' }]]);
    const op = operation({ op: 'PATCH', type: 'users', id: 'alice', data: {} });
    expect(run(op, rows, ctxFor('carol'))).toMatchObject({ outcome: 'rejected', code: 'READ_ONLY_TABLE' });
  });

  it('lets the owner dismiss a rejection and nobody else', () => {
    const row = rejectionRow(
      REJECTION_ID,
      { opId: 1, op: 'PATCH', table: 'orders', id: 'x', data: {} },
      'C',
      'm',
      ctxFor('alice'),
    );
    const rows = rowsOf([['rejections', row]]);
    const dismiss = operation({ op: 'PATCH', type: 'rejections', id: REJECTION_ID, data: { dismissed_at: NOW } });
    expect(run(dismiss, rows, ctxFor('bob'))).toMatchObject({ code: 'NOT_OWNER' });
    expect(run(dismiss, rows, ctxFor('alice')).outcome).toBe('applied');
    expect(rows.get('rejections', REJECTION_ID)?.dismissed_at).toBe(NOW);
    const del = operation({ op: 'DELETE', type: 'rejections', id: REJECTION_ID });
    expect(run(del, rows, ctxFor('alice'))).toMatchObject({ code: 'SERVER_OWNED_TABLE' });
  });
});
