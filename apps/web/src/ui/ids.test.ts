import { describe, expect, it } from 'vitest';
import { newId, parseJsonColumn } from './ids.ts';

describe('newId', () => {
  it('makes version 4 UUIDs', () => {
    const id = newId();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newId()).not.toBe(id);
  });
});

describe('parseJsonColumn', () => {
  it('parses JSON text and tolerates what is not', () => {
    expect(parseJsonColumn('{"a":1}')).toEqual({ a: 1 });
    expect(parseJsonColumn(null)).toBeNull();
    expect(parseJsonColumn('')).toBeNull();
    expect(parseJsonColumn('{oops')).toBeNull();
  });
});
