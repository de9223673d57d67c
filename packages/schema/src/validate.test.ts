import { describe, expect, it } from 'vitest';
import { notes, people } from './test-schema.ts';
import { expectedValue, validateRowId, validateValue, validateWriteData } from './validate.ts';
import { sameValue } from './values.ts';

describe('validateValue', () => {
  it('refuses text that is only whitespace where a column says notBlank', () => {
    expect(validateValue(notes, 'title', ' \t ')).toMatchObject({ ok: false, code: 'INVALID_VALUE', column: 'title' });
    expect(validateValue(notes, 'title', ' x ')).toEqual({ ok: true, value: ' x ' });
    expect(validateValue(notes, 'body', '  ').ok).toBe(true);
  });

  it('checks ranges, types and forms, and normalises timestamps and UUIDs', () => {
    expect(validateValue(notes, 'stars', 9).ok).toBe(false);
    expect(validateValue(notes, 'stars', 2.5).ok).toBe(false);
    expect(validateValue(notes, 'rating', 'high').ok).toBe(false);
    expect(validateValue(notes, 'kind', 'poem').ok).toBe(false);
    expect(validateValue(notes, 'due', '2026-02-30').ok).toBe(false);
    expect(validateValue(notes, 'seen_at', '2026-11-22 10:00:00+00')).toEqual({
      ok: true,
      value: '2026-11-22T10:00:00.000Z',
    });
    expect(validateValue(notes, 'tags', '["a"]')).toEqual({ ok: true, value: ['a'] });
    expect(validateValue(notes, 'title', 'a\u0000b')).toMatchObject({ ok: false, code: 'INVALID_VALUE' });
    expect(validateValue(notes, 'nope', 1)).toMatchObject({ ok: false, code: 'UNKNOWN_COLUMN' });
    expect(validateValue(notes, 'title', null)).toMatchObject({ ok: false, code: 'NOT_NULL' });
  });

  it('counts characters, not UTF-16 units: an emoji is one character of a bounded text', () => {
    // notes.title takes 1 to 80 characters.
    expect(validateValue(notes, 'title', '😀'.repeat(80)).ok).toBe(true);
    expect(validateValue(notes, 'title', '😀'.repeat(81)).ok).toBe(false);
    expect(validateValue(notes, 'title', `${'a'.repeat(79)}😀`).ok).toBe(true);
    expect(validateValue(notes, 'title', 'a'.repeat(81)).ok).toBe(false);
  });

  it('checks row ids by the kind of id the table has', () => {
    expect(validateRowId(notes, 'A0000000-0000-4000-8000-000000000001')).toEqual({
      ok: true,
      value: 'a0000000-0000-4000-8000-000000000001',
    });
    expect(validateRowId(notes, 'alice').ok).toBe(false);
    expect(validateRowId(people, 'alice').ok).toBe(true);
  });
});

describe('validateWriteData', () => {
  it('fills defaults for a new row, ignores server-owned columns and refuses unknown ones', () => {
    expect(validateWriteData(notes, { title: 'T', owner: 'mallory' }, 'insert')).toEqual({
      ok: true,
      values: {
        title: 'T',
        body: '',
        stars: 0,
        rating: null,
        due: null,
        seen_at: null,
        tags: [],
        kind: 'plain',
      },
      ignored: ['owner'],
    });
    expect(validateWriteData(notes, { body: 'x' }, 'insert')).toMatchObject({ ok: false, code: 'MISSING_COLUMN' });
    expect(validateWriteData(notes, { 'title"': 'x' }, 'update')).toMatchObject({ ok: false, code: 'UNKNOWN_COLUMN' });
  });
});

describe('expectedValue', () => {
  it('says what a column takes, in words', () => {
    expect(expectedValue(notes, 'title')).toBe('a title of 1 to 80 characters');
    expect(expectedValue(notes, 'body')).toBe('text of at most 1000 characters');
    expect(expectedValue(notes, 'nope')).toBeNull();
  });
});

describe('sameValue', () => {
  it('treats null and undefined alike, numbers by value and JSON by content', () => {
    expect(sameValue(null, undefined)).toBe(true);
    expect(sameValue(3, '3')).toBe(true);
    expect(sameValue(0, null)).toBe(false);
    expect(sameValue({ a: 1 }, { a: 1 })).toBe(true);
    expect(sameValue(['a'], ['b'])).toBe(false);
    expect(sameValue('a', 'b')).toBe(false);
  });
});
