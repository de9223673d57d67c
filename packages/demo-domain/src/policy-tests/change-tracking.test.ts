import type { WorkingSet } from '@cr/strategies';
import { processFieldChange } from '@cr/strategies';
import { describe, expect, it } from 'vitest';
import { policy } from '../policy.ts';
import { ctxFor, NOW, operation, rowsOf, run, TASK_ID, task } from './fixtures.ts';

const CHANGE_ID = '70000000-0000-4000-8000-000000000001';

const change = (field: string, value: unknown, extra: Record<string, unknown> = {}) =>
  operation({
    op: 'PUT',
    type: 'field_changes',
    id: CHANGE_ID,
    data: {
      table_name: 'tasks',
      row_id: TASK_ID,
      field_name: field,
      new_value: JSON.stringify(value),
      status: 'pending',
      ...extra,
    },
  });

function recorded(field: string, value: unknown, user = 'bob'): WorkingSet {
  const rows = rowsOf([['tasks', task()]], [['field_changes', CHANGE_ID]]);
  expect(run(change(field, value), rows, ctxFor(user)).outcome).toBe('applied');
  return rows;
}

function work(rows: WorkingSet, user = 'bob') {
  const row = rows.get('field_changes', CHANGE_ID);
  if (!row) throw new Error('no change');
  const result = processFieldChange(
    policy,
    row,
    rows.get('tasks', TASK_ID),
    ctxFor(user, { now: '2026-11-22T12:00:05.000Z' }),
  );
  rows.apply(result.writes);
  return result;
}

describe('strategy 6: change-level status tracking (field_changes)', () => {
  it('records a new change as pending, owned by the uploader', () => {
    const rows = recorded('title', 'Count everything');
    expect(rows.get('field_changes', CHANGE_ID)).toMatchObject({
      status: 'pending',
      user_id: 'bob',
      attempts: 0,
      created_at: NOW,
    });
  });

  it('applies a valid change to the task, bumping its version', () => {
    const rows = recorded('priority', 1);
    expect(work(rows).status).toBe('applied');
    expect(rows.get('tasks', TASK_ID)).toMatchObject({
      priority: 1,
      modified_by: 'bob',
      modified_at: '2026-11-22T12:00:05.000Z',
    });
    expect(rows.get('field_changes', CHANGE_ID)).toMatchObject({ status: 'applied', attempts: 1, error_code: null });
  });

  it('fails an invalid value with a reason, then applies it after a corrected retry', () => {
    const rows = recorded('priority', 9);
    expect(work(rows)).toMatchObject({ status: 'failed', code: 'INVALID_VALUE' });
    expect(rows.get('field_changes', CHANGE_ID)).toMatchObject({
      status: 'failed',
      error_code: 'INVALID_VALUE',
      error_message: expect.stringContaining('priority from 1 (highest) to 5'),
    });
    expect(rows.get('tasks', TASK_ID)?.priority).toBe(2);

    const retry = operation({
      op: 'PATCH',
      type: 'field_changes',
      id: CHANGE_ID,
      data: { new_value: '4', status: 'pending' },
    });
    expect(run(retry, rows, ctxFor('bob')).outcome).toBe('applied');
    expect(rows.get('field_changes', CHANGE_ID)).toMatchObject({
      status: 'pending',
      error_code: null,
      error_message: null,
    });
    expect(work(rows).status).toBe('applied');
    expect(rows.get('tasks', TASK_ID)?.priority).toBe(4);
    expect(rows.get('field_changes', CHANGE_ID)).toMatchObject({ status: 'applied', attempts: 2 });
  });

  it('fails a blank title by the same rule as a direct edit', () => {
    expect(work(recorded('title', '  '))).toMatchObject({ status: 'failed', code: 'RULE_VIOLATION' });
  });

  it('fails a change whose task was deleted', () => {
    const rows = recorded('title', 'x');
    rows.apply([{ table: 'tasks', id: TASK_ID, effect: { kind: 'delete' } }]);
    expect(work(rows)).toMatchObject({ status: 'failed', code: 'ROW_NOT_FOUND' });
  });

  it.each([
    ['an untracked field', change('created_by', 'carol'), 'bob', 'FIELD_NOT_TRACKED'],
    ['an untracked table', change('title', 'x', { table_name: 'orders' }), 'bob', 'UNKNOWN_TABLE'],
    ['a value that is not JSON', change('title', 'x', { new_value: 'not json' }), 'bob', 'INVALID_VALUE'],
    ['a role that may not write tasks', change('title', 'x'), 'dan', 'TABLE_NOT_PERMITTED'],
    ['a change that claims to be applied', change('title', 'x', { status: 'applied' }), 'bob', 'INVALID_VALUE'],
  ])('refuses %s at upload', (_, op, user, code) => {
    const rows = rowsOf([['tasks', task()]], [['field_changes', CHANGE_ID]]);
    expect(run(op, rows, ctxFor(user))).toMatchObject({ outcome: 'rejected', code });
    expect(rows.get('field_changes', CHANGE_ID)).toBeNull();
  });

  it('lets only the author retry, and never an applied change', () => {
    const rows = recorded('title', 'x');
    const retry = operation({ op: 'PATCH', type: 'field_changes', id: CHANGE_ID, data: { status: 'pending' } });
    expect(run(retry, rows, ctxFor('alice'))).toMatchObject({ code: 'NOT_OWNER' });
    work(rows);
    expect(run(retry, rows, ctxFor('bob'))).toMatchObject({ code: 'ALREADY_APPLIED' });
  });
});
