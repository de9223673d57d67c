import { describe, expect, it } from 'vitest';
import { type FieldChange, overlayPendingChanges } from './field-change-overlay.ts';

const task = { id: 't1', title: 'Count the stock room', priority: 2, status: 'todo' };

function change(fields: Partial<FieldChange>): FieldChange {
  return {
    id: 'c',
    row_id: 't1',
    field_name: 'title',
    new_value: '"x"',
    status: 'pending',
    error_code: null,
    error_message: null,
    created_at: '2026-11-22T10:00:00.000Z',
    updated_at: '2026-11-22T10:00:00.000Z',
    ...fields,
  };
}

describe('overlayPendingChanges', () => {
  it('shows pending values on top of the server row and marks them', () => {
    const result = overlayPendingChanges(task, [
      change({ field_name: 'title', new_value: '"Count the back room"' }),
      change({ id: 'c2', field_name: 'priority', new_value: '1' }),
    ]);
    expect(result.values).toEqual({ ...task, title: 'Count the back room', priority: 1 });
    expect([...result.pending].sort()).toEqual(['priority', 'title']);
    expect(task.title).toBe('Count the stock room');
  });

  it('keeps the server value where the latest change failed', () => {
    const result = overlayPendingChanges(task, [
      change({ field_name: 'priority', new_value: '9', status: 'failed', error_code: 'OUT_OF_RANGE' }),
    ]);
    expect(result.values.priority).toBe(2);
    expect([...result.failed]).toEqual(['priority']);
    expect(result.pending.size).toBe(0);
  });

  it('lets the latest change of a field win (a retry after a failure)', () => {
    const result = overlayPendingChanges(task, [
      change({ id: 'a', field_name: 'priority', new_value: '9', status: 'failed', updated_at: '2026-11-22T10:00:00Z' }),
      change({
        id: 'b',
        field_name: 'priority',
        new_value: '4',
        status: 'pending',
        updated_at: '2026-11-22T10:01:00Z',
      }),
    ]);
    expect(result.values.priority).toBe(4);
    expect(result.failed.size).toBe(0);
  });

  it('ignores applied changes (already in the row), other rows and unreadable values', () => {
    const result = overlayPendingChanges(task, [
      change({ status: 'applied', new_value: '"old"' }),
      change({ id: 'o', row_id: 'other', new_value: '"elsewhere"' }),
      change({ id: 'u', field_name: 'status', new_value: '{broken' }),
    ]);
    expect(result.values).toEqual(task);
    expect(result.pending.size).toBe(0);
  });
});
