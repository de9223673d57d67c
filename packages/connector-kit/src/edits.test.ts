import { describe, expect, it } from 'vitest';
import { editedFields, editValues, localUpdate, movedFields } from './edits.ts';
import { policy } from './test-policy.ts';

const EVE = { id: 'eve', role: 'member' };
const NOW = '2026-11-22T10:00:00.000Z';
const seen = {
  id: 't1',
  text: 'Water the plants',
  priority: 3,
  changed_at: '2026-11-01T09:00:00.000000Z',
  changed_by: 'ann',
};

describe('editedFields', () => {
  it('keeps only what the user changed relative to what they saw, never what the row holds now', () => {
    const form = { text: seen.text, priority: '1' };
    expect(editedFields(seen, form, ['text', 'priority'])).toEqual({ priority: '1' });
    const renamed = { ...seen, text: 'Renamed by Bob' };
    expect(editedFields(renamed, form, ['text', 'priority'])).toEqual({ text: seen.text, priority: '1' });
  });
});

describe('movedFields', () => {
  it('lists what changed in the synced row since the form opened, without the version', () => {
    const now = { ...seen, text: 'Renamed', changed_at: '2026-11-22T09:59:00.000Z', changed_by: 'bob' };
    expect(movedFields(policy.table('todos'), seen, now)).toEqual([
      { field: 'text', before: seen.text, now: 'Renamed' },
    ]);
    expect(movedFields(policy.table('todos'), seen, null)).toEqual([]);
    expect(movedFields(policy.table('todos'), seen, { ...now, priority: 5 }, ['priority'])).toEqual([
      { field: 'priority', before: 3, now: 5 },
    ]);
  });
});

describe('editValues', () => {
  it('timestamps: the next version follows the base, which _metadata states', () => {
    expect(editValues(policy.table('todos'), seen, { priority: 1 }, { user: EVE, now: NOW })).toEqual({
      priority: 1,
      changed_by: 'eve',
      changed_at: NOW,
      _metadata: JSON.stringify({ base: { changed_at: '2026-11-01T09:00:00.000000Z' } }),
    });
  });

  it('versions: the base’s plus one; field-level LWW: the strategy’s own metadata; rules: stamps only', () => {
    const page = { id: 'p1', body: 'v1', rev: 1 };
    expect(editValues(policy.table('pages'), page, { body: 'Mine' }, { user: EVE, now: NOW })).toEqual({
      body: 'Mine',
      rev: 2,
      updated_by: 'eve',
      updated_at: NOW,
      _metadata: JSON.stringify({ base: { rev: 1 } }),
    });
    const card = { id: 'c1', front: 'Q' };
    expect(
      editValues(policy.table('cards'), card, { front: 'R' }, { user: EVE, now: NOW, metadata: { edited_at: NOW } }),
    ).toEqual({ front: 'R', updated_by: 'eve', _metadata: JSON.stringify({ edited_at: NOW }) });
    expect(editValues(policy.table('tickets'), { id: 'k' }, { subject: 'S' }, { user: EVE, now: NOW })).toEqual({
      subject: 'S',
      updated_at: NOW,
    });
    expect(editValues(policy.table('todos'), seen, {}, { user: EVE, now: NOW })).toBeNull();
  });

  it('three-way merge: the base states what each changed field held, so the server can merge against it', () => {
    const sheet = { id: 's1', heading: 'Plan', body: 'One\nTwo\n', rev: 4 };
    expect(
      editValues(
        policy.table('sheets'),
        sheet,
        { body: 'One\nTwo!\n' },
        { user: EVE, now: NOW, metadata: { kind: 'restore' } },
      ),
    ).toEqual({
      body: 'One\nTwo!\n',
      rev: 5,
      updated_by: 'eve',
      _metadata: JSON.stringify({ kind: 'restore', base: { rev: 4, body: 'One\nTwo\n' } }),
    });
  });

  it('refuses metadata for a table whose strategy does not track it', () => {
    expect(() =>
      editValues(policy.table('tickets'), { id: 'k' }, { subject: 'S' }, { user: EVE, now: NOW, metadata: { x: 1 } }),
    ).toThrow(/does not track metadata/);
  });
});

describe('localUpdate', () => {
  it('builds an UPDATE of the given columns, and refuses names that are not columns', () => {
    expect(localUpdate(policy.table('todos'), { text: 'B', changed_at: 'T', _metadata: '{}' }, 'id1')).toEqual([
      'UPDATE todos SET text = ?, changed_at = ?, _metadata = ? WHERE id = ?',
      ['B', 'T', '{}', 'id1'],
    ]);
    expect(() => localUpdate(policy.table('todos'), { 'text; DROP TABLE x': 1 }, 'id')).toThrow(/not a column/);
    expect(() => localUpdate(policy.table('tickets'), { _metadata: '{}' }, 'id')).toThrow(/not a column/);
    expect(() => localUpdate(policy.table('todos'), {}, 'id')).toThrow(/nothing/);
  });
});
