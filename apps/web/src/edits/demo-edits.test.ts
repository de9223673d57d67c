import { editedFields, editValues, movedFields } from '@cr/connector-kit';
import { policy } from '@cr/demo-domain';
import { describe, expect, it } from 'vitest';

const ALICE = { id: 'alice', role: 'clerk' as const };
const NOW = '2026-11-22T10:00:00.000Z';

const seen = {
  id: 't1',
  title: 'Label the shelves',
  description: '',
  status: 'todo',
  priority: 3,
  modified_at: '2026-11-01T09:00:00.000000Z',
  modified_by: 'carol',
};

/** The kit's edit helpers with the demo's policy: what each demo editor writes. */
describe('editedFields', () => {
  it('keeps only what the user changed relative to what they saw', () => {
    expect(
      editedFields(seen, { title: 'Label the shelves', status: 'todo', priority: 1 }, ['title', 'status', 'priority']),
    ).toEqual({ priority: 1 });
  });

  it('never writes back a field the user did not touch, whatever the row holds now', () => {
    // Bob renamed the task after the form opened; the form still shows the old title.
    const bobs = { ...seen, title: 'Renamed by Bob' };
    const form = { title: seen.title, priority: 1 };
    expect(editedFields(seen, form, ['title', 'priority'])).toEqual({ priority: 1 });
    // Compared with the current row instead, the old title would be "changed" back.
    expect(editedFields(bobs, form, ['title', 'priority'])).toEqual({ title: seen.title, priority: 1 });
  });
});

describe('movedFields', () => {
  it('lists what changed in the synced row since the form opened, without the version', () => {
    const now = { ...seen, title: 'Renamed by Bob', modified_at: '2026-11-22T09:59:00.000Z', modified_by: 'bob' };
    expect(movedFields(policy.table('tasks'), seen, now)).toEqual([
      { field: 'title', before: 'Label the shelves', now: 'Renamed by Bob' },
    ]);
    expect(movedFields(policy.table('tasks'), seen, { ...seen, modified_at: '2026-11-01T09:00:00.000Z' })).toEqual([]);
    expect(movedFields(policy.table('tasks'), seen, null)).toEqual([]);
  });

  it('can be limited to some fields', () => {
    const now = { ...seen, title: 'B', priority: 5 };
    expect(movedFields(policy.table('tasks'), seen, now, ['priority']).map((m) => m.field)).toEqual(['priority']);
  });
});

describe('editValues', () => {
  it('tasks: the next modified_at follows the base, and the base is stated in _metadata', () => {
    const values = editValues(policy.table('tasks'), seen, { priority: 1 }, { user: ALICE, now: NOW });
    expect(values).toEqual({
      priority: 1,
      modified_by: 'alice',
      modified_at: NOW,
      _metadata: JSON.stringify({ base: { modified_at: '2026-11-01T09:00:00.000000Z' } }),
    });
  });

  it('documents: the new version is the base’s plus one, and the base states the text each changed field held', () => {
    const doc = { id: 'd1', title: 'Plan', body: 'v1 text', version: 1 };
    expect(editValues(policy.table('documents'), doc, { body: 'Mine' }, { user: ALICE, now: NOW })).toEqual({
      body: 'Mine',
      version: 2,
      updated_by: 'alice',
      updated_at: NOW,
      _metadata: JSON.stringify({ base: { version: 1, body: 'v1 text' } }),
    });
  });

  it('patients: no version, the strategy’s own metadata (the edit time)', () => {
    const patient = { id: 'p1', heart_rate: 80, notes: '' };
    const values = editValues(
      policy.table('patients'),
      patient,
      { heart_rate: 104 },
      { user: { id: 'nina', role: 'nurse' }, now: NOW, metadata: { edited_at: NOW } },
    );
    expect(values).toEqual({
      heart_rate: 104,
      updated_by: 'nina',
      updated_at: NOW,
      _metadata: JSON.stringify({ edited_at: NOW }),
    });
  });

  it('orders: the changed fields and the audit stamps; no metadata', () => {
    expect(
      editValues(policy.table('orders'), { id: 'o1', quantity: 2 }, { quantity: 3 }, { user: ALICE, now: NOW }),
    ).toEqual({
      quantity: 3,
      updated_by: 'alice',
      updated_at: NOW,
    });
  });

  it('writes nothing when nothing changed', () => {
    expect(editValues(policy.table('tasks'), seen, {}, { user: ALICE, now: NOW })).toBeNull();
  });
});
