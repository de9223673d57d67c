import { describe, expect, it } from 'vitest';
import { ctxFor, DOC_ID, doc, operation, rowsOf, run, TASK_ID, task } from './fixtures.ts';

/**
 * An edit made in a form that stayed open while the row changed: the local row (and so the old
 * values change tracking sends) is already at the other user's version, but the form states the
 * version it was opened on. The server must judge the edit on what the user saw.
 */
describe('the base an edit was made on (_metadata.base)', () => {
  const SEEN = '2026-11-01T09:00:00.000Z';
  const BOBS = '2026-11-20T08:00:00.000Z';

  it('tasks: a form opened before Bob’s edit conflicts, although the local row had synced his version', () => {
    const server = task({ title: 'Bob’s title', modified_at: BOBS, modified_by: 'bob' });
    const rows = rowsOf([['tasks', server]]);
    const op = operation({
      op: 'PATCH',
      type: 'tasks',
      id: TASK_ID,
      data: { priority: 1, modified_at: '2026-11-22T10:00:00.000Z' },
      old: { modified_at: BOBS },
      metadata: JSON.stringify({ base: { modified_at: SEEN } }),
    });
    expect(run(op, rows, ctxFor('alice'))).toMatchObject({
      outcome: 'conflict',
      code: 'STALE_WRITE',
      conflict: { baseValues: { modified_at: SEEN } },
    });
    expect(rows.get('tasks', TASK_ID)).toEqual(server);
  });

  it('tasks: a form opened on the current version applies, whatever the local row moved to', () => {
    const rows = rowsOf([['tasks', task({ modified_at: SEEN })]]);
    const op = operation({
      op: 'PATCH',
      type: 'tasks',
      id: TASK_ID,
      data: { priority: 1, modified_at: '2026-11-22T10:00:00.000Z' },
      old: { modified_at: '2026-11-21T10:00:00.000Z' },
      metadata: JSON.stringify({ base: { modified_at: '2026-11-01 09:00:00+00' } }),
    });
    expect(run(op, rows, ctxFor('alice')).outcome).toBe('applied');
    expect(rows.get('tasks', TASK_ID)?.priority).toBe(1);
  });

  it('documents: the version the form was opened on decides, and the new version must follow it', () => {
    const rows = rowsOf([['documents', doc({ version: 4, body: 'Bob’s body', updated_by: 'bob' })]]);
    const stale = operation({
      op: 'PATCH',
      type: 'documents',
      id: DOC_ID,
      data: { body: 'Alice', version: 4 },
      old: { version: 4 },
      metadata: JSON.stringify({ base: { version: 3 } }),
    });
    expect(run(stale, rows, ctxFor('alice'))).toMatchObject({
      outcome: 'conflict',
      code: 'VERSION_MISMATCH',
      conflict: { baseValues: { version: 3 } },
    });
    const fresh = operation({
      op: 'PATCH',
      type: 'documents',
      id: DOC_ID,
      data: { body: 'Alice again', version: 5 },
      old: { version: 4 },
      metadata: JSON.stringify({ base: { version: 4 } }),
    });
    expect(run(fresh, rows, ctxFor('alice')).outcome).toBe('applied');
    expect(rows.get('documents', DOC_ID)).toMatchObject({ body: 'Alice again', version: 5 });
  });

  it('without a stated base, the tracked old value is the base (offline edits, older clients)', () => {
    const rows = rowsOf([['documents', doc({ version: 3 })]]);
    const op = operation({
      op: 'PATCH',
      type: 'documents',
      id: DOC_ID,
      data: { body: 'B', version: 4 },
      old: { version: 3 },
    });
    expect(run(op, rows, ctxFor('alice')).outcome).toBe('applied');
  });

  it('a stated base of the wrong type is refused like a missing one', () => {
    const rows = rowsOf([['documents', doc({ version: 3 })]]);
    const op = operation({
      op: 'PATCH',
      type: 'documents',
      id: DOC_ID,
      data: { body: 'B', version: 4 },
      old: { version: 3 },
      metadata: JSON.stringify({ base: { version: '3' } }),
    });
    expect(run(op, rows, ctxFor('alice'))).toMatchObject({ outcome: 'rejected', code: 'MISSING_BASE_VERSION' });
  });
});
