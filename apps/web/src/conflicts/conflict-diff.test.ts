import { describe, expect, it } from 'vitest';
import { conflictFields, conflictRowLabel, mergedValues } from './conflict-diff.ts';

const server = {
  id: 'd1',
  title: 'Opening checklist',
  body: 'Unlock the doors',
  version: 4,
  created_by: 'carol',
  updated_by: 'bob',
};

describe('conflictFields', () => {
  it('shows the fields the edit changed, with both sides and the differences', () => {
    const fields = conflictFields(
      'documents',
      { title: 'Opening checklist', body: 'Unlock both doors', version: 4 },
      server,
    );
    expect(fields).toEqual([
      { field: 'title', mine: 'Opening checklist', server: 'Opening checklist', differs: false },
      { field: 'body', mine: 'Unlock both doors', server: 'Unlock the doors', differs: true },
    ]);
  });

  it('leaves out versions, timestamps and server bookkeeping', () => {
    const fields = conflictFields(
      'tasks',
      { title: 'Mine', modified_at: '2026-11-22T10:00:00.000Z', modified_by: 'alice' },
      { title: 'Theirs', modified_at: '2026-11-22T10:01:00.000Z', modified_by: 'bob' },
    );
    expect(fields.map((field) => field.field)).toEqual(['title']);
  });

  it('compares numbers by value', () => {
    const [field] = conflictFields('tasks', { priority: 2 }, { priority: '2' });
    expect(field?.differs).toBe(false);
  });

  it('shows every field either side has when the edit changed none (a delete)', () => {
    const fields = conflictFields('documents', {}, server);
    expect(fields.map((field) => field.field)).toEqual(['title', 'body']);
  });
});

describe('mergedValues', () => {
  it('takes each field from the chosen side, the server by default', () => {
    const fields = conflictFields('tasks', { title: 'Mine', priority: 1 }, { title: 'Theirs', priority: 4 });
    expect(mergedValues(fields, { title: 'mine' })).toEqual({ title: 'Mine', priority: 4 });
  });
});

describe('conflictRowLabel', () => {
  it('names the row by its title, else its id', () => {
    expect(conflictRowLabel('d1', null, server)).toBe('Opening checklist');
    expect(conflictRowLabel('x', { customer: 'Northwind' }, null)).toBe('Northwind');
    expect(conflictRowLabel('x', null, null)).toBe('x');
  });
});
