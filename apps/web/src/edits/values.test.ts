import { describe, expect, it } from 'vitest';
import { clientColumns, sameValue, updateStatement } from './values.ts';

describe('sameValue', () => {
  it('treats null and undefined alike, and numbers by value', () => {
    expect(sameValue(null, undefined)).toBe(true);
    expect(sameValue(3, '3')).toBe(true);
    expect(sameValue(0, null)).toBe(false);
    expect(sameValue({ a: 1 }, { a: 1 })).toBe(true);
    expect(sameValue('a', 'b')).toBe(false);
  });
});

describe('clientColumns', () => {
  it('lists what a person edits, not what the server stamps', () => {
    expect(clientColumns('documents')).toEqual(['title', 'body', 'version']);
    expect(clientColumns('tasks')).not.toContain('modified_by');
  });
});

describe('updateStatement', () => {
  it('builds an UPDATE of the given columns', () => {
    expect(updateStatement('tasks', { title: 'B', modified_at: 'T', _metadata: '{}' }, 'id1')).toEqual([
      'UPDATE tasks SET title = ?, modified_at = ?, _metadata = ? WHERE id = ?',
      ['B', 'T', '{}', 'id1'],
    ]);
  });

  it('refuses names that are not columns of the table', () => {
    expect(() => updateStatement('tasks', { 'title; DROP TABLE x': 1 }, 'id')).toThrow(/not a column/);
    expect(() => updateStatement('orders', { _metadata: '{}' }, 'id')).toThrow(/not a column/);
    expect(() => updateStatement('tasks', {}, 'id')).toThrow(/nothing/);
  });
});
