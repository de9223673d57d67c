import { describe, expect, it } from 'vitest';
import { changedFields, sameValue, updateStatement } from './changed-fields.ts';

describe('changedFields', () => {
  it('keeps only the fields that changed', () => {
    const current = { title: 'A', status: 'todo', priority: 3, due_date: null as string | null };
    expect(
      changedFields(current, { title: 'A', status: 'done', priority: 3, due_date: null }, [
        'title',
        'status',
        'priority',
        'due_date',
      ]),
    ).toEqual({ status: 'done' });
  });

  it('ignores fields it was not asked about', () => {
    expect(changedFields({ a: 1, b: 2 }, { a: 1, b: 5 }, ['a'])).toEqual({});
  });
});

describe('sameValue', () => {
  it('treats null and undefined alike, and numbers by value', () => {
    expect(sameValue(null, undefined)).toBe(true);
    expect(sameValue(3, '3')).toBe(true);
    expect(sameValue(0, null)).toBe(false);
    expect(sameValue({ a: 1 }, { a: 1 })).toBe(true);
  });
});

describe('updateStatement', () => {
  it('builds an UPDATE of the given columns', () => {
    expect(updateStatement('tasks', { title: 'B', modified_at: 'T' }, 'id1')).toEqual([
      'UPDATE tasks SET title = ?, modified_at = ? WHERE id = ?',
      ['B', 'T', 'id1'],
    ]);
  });

  it('refuses names that are not plain column names', () => {
    expect(() => updateStatement('tasks', { 'title; DROP TABLE x': 1 }, 'id')).toThrow(/not a column name/);
    expect(() => updateStatement('tasks', {}, 'id')).toThrow(/nothing/);
  });
});
