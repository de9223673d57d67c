import { describe, expect, it } from 'vitest';
import { policy } from '../policy.ts';

const TASK_ID = '10000000-0000-4000-8000-000000000001';

describe('parsing uploaded CrudEntry JSON', () => {
  it('accepts an entry as CrudEntry.toJSON() writes it', () => {
    const parsed = policy.parse({
      op_id: 5,
      op: 'PATCH',
      type: 'tasks',
      id: TASK_ID.toUpperCase(),
      tx_id: 3,
      data: { title: 'x', modified_at: '2026-11-22T10:00:00Z', modified_by: 'someone' },
      old: { modified_at: '2026-11-01T09:00:00.000Z' },
      metadata: '{"edited_at":"2026-11-22T10:00:00Z"}',
    });
    expect(parsed).toEqual({
      ok: true,
      operation: {
        opId: 5,
        op: 'PATCH',
        table: 'tasks',
        id: TASK_ID,
        data: { title: 'x', modified_at: '2026-11-22T10:00:00.000Z' },
        previous: { modified_at: '2026-11-01T09:00:00.000Z' },
        metadata: { edited_at: '2026-11-22T10:00:00Z' },
        ignored: ['modified_by'],
      },
    });
  });

  it.each([
    ['an unknown table', { op: 'PUT', type: 'secrets', id: TASK_ID, data: {} }, 'UNKNOWN_TABLE'],
    [
      'SQL in the table name',
      { op: 'PUT', type: 'tasks; DROP TABLE tasks;--', id: TASK_ID, data: {} },
      'UNKNOWN_TABLE',
    ],
    ['an inherited property as table', { op: 'PUT', type: 'constructor', id: TASK_ID, data: {} }, 'UNKNOWN_TABLE'],
    ['an unknown column', { op: 'PATCH', type: 'tasks', id: TASK_ID, data: { owner: 'x' } }, 'UNKNOWN_COLUMN'],
    [
      'SQL in a column name',
      { op: 'PATCH', type: 'tasks', id: TASK_ID, data: { "title\" = 'x'; DROP TABLE tasks; --": 'x' } },
      'UNKNOWN_COLUMN',
    ],
    ['a wrong type', { op: 'PATCH', type: 'tasks', id: TASK_ID, data: { priority: '4' } }, 'INVALID_VALUE'],
    ['a null in a required column', { op: 'PATCH', type: 'tasks', id: TASK_ID, data: { title: null } }, 'NOT_NULL'],
    ['a missing id', { op: 'PUT', type: 'tasks', data: { title: 'x' } }, 'INVALID_ID'],
    ['an id that is not a UUID', { op: 'PUT', type: 'tasks', id: '1 OR 1=1', data: {} }, 'INVALID_ID'],
    ['an unknown operation', { op: 'UPSERT', type: 'tasks', id: TASK_ID }, 'UNKNOWN_OPERATION'],
    ['data that is not an object', { op: 'PATCH', type: 'tasks', id: TASK_ID, data: [1, 2] }, 'INVALID_DATA'],
    [
      'metadata that is not JSON',
      { op: 'PATCH', type: 'tasks', id: TASK_ID, data: {}, metadata: '{' },
      'INVALID_METADATA',
    ],
    [
      'old values that are not an object',
      { op: 'PATCH', type: 'tasks', id: TASK_ID, data: {}, old: 'x' },
      'INVALID_PREVIOUS_VALUES',
    ],
    [
      'a missing required column on insert',
      { op: 'PUT', type: 'tasks', id: TASK_ID, data: { title: 'x' } },
      'MISSING_COLUMN',
    ],
  ])('records %s as a rejection with a reason', (_, entry, code) => {
    const parsed = policy.parse({ op_id: 1, ...entry });
    expect(parsed).toMatchObject({ ok: false, code });
    expect(parsed.ok === false && parsed.message.length).toBeGreaterThan(10);
  });
});
