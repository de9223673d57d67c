import { describe, expect, it } from 'vitest';
import { ctxFor, NOW, operation, rowsOf, run, TASK_ID, task } from './fixtures.ts';

const BASE = '2026-11-01T09:00:00.000Z';
const edit = (data: Record<string, unknown>, old: Record<string, unknown> | null = { modified_at: BASE }) =>
  operation({ op: 'PATCH', type: 'tasks', id: TASK_ID, data, old });

describe('strategy 1: timestamp staleness (tasks)', () => {
  it('applies an edit made on the current version and records who made it', () => {
    const rows = rowsOf([['tasks', task()]]);
    const decision = run(
      edit({ title: 'Count everything', modified_at: '2026-11-22T10:00:00.000Z' }),
      rows,
      ctxFor('bob'),
    );
    expect(decision.outcome).toBe('applied');
    expect(rows.get('tasks', TASK_ID)).toMatchObject({
      title: 'Count everything',
      modified_at: '2026-11-22T10:00:00.000Z',
      modified_by: 'bob',
    });
  });

  it('records a conflict for an edit made on an older version and leaves the row alone', () => {
    const server = task({ title: 'Changed by Alice', modified_at: '2026-11-20T08:00:00.000Z', modified_by: 'alice' });
    const rows = rowsOf([['tasks', server]]);
    const decision = run(edit({ title: 'Mine', modified_at: '2026-11-22T10:00:00.000Z' }), rows, ctxFor('bob'));
    expect(decision).toMatchObject({
      outcome: 'conflict',
      code: 'STALE_WRITE',
      conflict: {
        strategy: 'timestamp',
        clientValues: { title: 'Mine' },
        serverValues: server,
        baseValues: { modified_at: BASE },
      },
    });
    expect(rows.get('tasks', TASK_ID)).toEqual(server);
  });

  it('treats two spellings of the same instant as the same version', () => {
    const rows = rowsOf([['tasks', task()]]);
    const op = edit(
      { status: 'done', modified_at: '2026-11-22T10:00:00.000Z' },
      { modified_at: '2026-11-01 09:00:00.000000Z' },
    );
    expect(run(op, rows, ctxFor('bob')).outcome).toBe('applied');
  });

  it('applies a chain of offline edits, each made on the one before', () => {
    const rows = rowsOf([['tasks', task()]]);
    const first = edit({ title: 'One', modified_at: '2026-11-22T10:00:00.000Z' });
    const second = edit(
      { title: 'Two', modified_at: '2026-11-22T10:01:00.000Z' },
      { modified_at: '2026-11-22T10:00:00.000Z' },
    );
    expect(run(first, rows, ctxFor('bob')).outcome).toBe('applied');
    expect(run(second, rows, ctxFor('bob')).outcome).toBe('applied');
    expect(rows.get('tasks', TASK_ID)?.title).toBe('Two');
  });

  it.each([
    ['no base version', { title: 'x', modified_at: '2026-11-22T10:00:00.000Z' }, null, 'MISSING_BASE_VERSION'],
    ['no new version', { title: 'x' }, { modified_at: BASE }, 'MISSING_VERSION_TOKEN'],
    [
      'a new version not after the base',
      { title: 'x', modified_at: BASE },
      { modified_at: BASE },
      'INVALID_VERSION_TOKEN',
    ],
    [
      'a blank title',
      { title: '   ', modified_at: '2026-11-22T10:00:00.000Z' },
      { modified_at: BASE },
      'RULE_VIOLATION',
    ],
  ])('rejects an edit with %s', (_, data, old, code) => {
    const rows = rowsOf([['tasks', task()]]);
    expect(run(edit(data, old), rows, ctxFor('bob'))).toMatchObject({ outcome: 'rejected', code });
    expect(rows.get('tasks', TASK_ID)).toEqual(task());
  });

  it('rejects an edit of a row that does not exist', () => {
    const rows = rowsOf([], [['tasks', TASK_ID]]);
    expect(run(edit({ title: 'x', modified_at: NOW }), rows, ctxFor('bob'))).toMatchObject({ code: 'ROW_NOT_FOUND' });
  });

  it('inserts a new task, stamping who created it whatever the client claimed', () => {
    const rows = rowsOf([], [['tasks', TASK_ID]]);
    const put = operation({
      op: 'PUT',
      type: 'tasks',
      id: TASK_ID,
      data: { title: 'New', modified_at: '2026-11-22T10:00:00.000Z', created_by: 'carol', modified_by: 'carol' },
    });
    expect(run(put, rows, ctxFor('bob')).outcome).toBe('applied');
    expect(rows.get('tasks', TASK_ID)).toMatchObject({
      title: 'New',
      status: 'todo',
      priority: 3,
      description: '',
      created_by: 'bob',
      modified_by: 'bob',
      created_at: NOW,
    });
  });

  it('records an insert over an existing row as a conflict', () => {
    const rows = rowsOf([['tasks', task()]]);
    const put = operation({ op: 'PUT', type: 'tasks', id: TASK_ID, data: { title: 'Dup', modified_at: NOW } });
    expect(run(put, rows, ctxFor('bob'))).toMatchObject({ outcome: 'conflict', code: 'ROW_EXISTS' });
  });

  it('deletes on the current version, records a stale delete, and ignores a delete of a missing row', () => {
    const fresh = rowsOf([['tasks', task()]]);
    const del = (old: Record<string, unknown>) => operation({ op: 'DELETE', type: 'tasks', id: TASK_ID, old });
    expect(run(del({ modified_at: BASE }), fresh, ctxFor('bob')).outcome).toBe('applied');
    expect(fresh.get('tasks', TASK_ID)).toBeNull();

    const stale = rowsOf([['tasks', task({ modified_at: '2026-11-21T00:00:00.000Z' })]]);
    expect(run(del({ modified_at: BASE }), stale, ctxFor('bob'))).toMatchObject({
      outcome: 'conflict',
      code: 'STALE_WRITE',
    });

    const gone = rowsOf([], [['tasks', TASK_ID]]);
    expect(run(del({ modified_at: BASE }), gone, ctxFor('bob'))).toEqual({ outcome: 'applied', writes: [] });
  });

  it('refuses roles that may not write tasks', () => {
    const rows = rowsOf([['tasks', task()]]);
    expect(run(edit({ title: 'x', modified_at: NOW }), rows, ctxFor('dan'))).toMatchObject({
      outcome: 'rejected',
      code: 'TABLE_NOT_PERMITTED',
    });
  });
});
