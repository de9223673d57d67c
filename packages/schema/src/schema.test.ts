import { describe, expect, it } from 'vitest';
import { toPowerSyncSchema } from './client-schema.ts';
import { col } from './columns.ts';
import { defineSchema } from './schema.ts';
import { clientColumns, defineTable } from './table.ts';
import { counters, notes, testSchema } from './test-schema.ts';

describe('defineTable / defineSchema', () => {
  it('keeps the tables in order, by name, and answers which names are tables', () => {
    expect(testSchema.names).toEqual(['people', 'notes', 'counters']);
    expect(testSchema.table('notes')).toBe(notes);
    expect(testSchema.tables.counters).toBe(counters);
    expect(testSchema.has('notes')).toBe(true);
    expect(testSchema.has('notes; DROP TABLE notes')).toBe(false);
    expect(testSchema.has('toString')).toBe(false);
    expect(() => testSchema.table('nope' as never)).toThrow(/no table named "nope"/);
  });

  it('refuses names that cannot reach SQL safely, and a table listed twice', () => {
    const columns = { a: col.text() };
    expect(() => defineTable('Bad-Name', { summary: '', id: 'uuid', columns })).toThrow(/not a usable SQL name/);
    expect(() => defineTable('t', { summary: '', id: 'uuid', columns: { 'x"y': col.text() } })).toThrow(/cannot be/);
    expect(() => defineTable('t', { summary: '', id: 'uuid', columns: { id: col.text() } })).toThrow(/cannot be/);
    expect(() => defineTable('t', { summary: '', id: 'uuid', columns, clientIndexes: { i: ['b'] } })).toThrow(
      /unknown column b/,
    );
    expect(() => defineSchema([notes, notes])).toThrow(/listed twice/);
  });

  it('lists the columns a client writes', () => {
    expect(clientColumns(notes)).toEqual(['title', 'body', 'stars', 'rating', 'due', 'seen_at', 'tags', 'kind']);
  });
});

describe('toPowerSyncSchema', () => {
  it('has every synced table, with SQLite types and the tracking given for it', () => {
    const schema = toPowerSyncSchema(testSchema, {
      counters: { trackPrevious: ['value'], trackMetadata: true },
    });
    const byName = new Map(schema.tables.map((t) => [t.name, t]));
    expect([...byName.keys()].sort()).toEqual(['counters', 'notes']);
    const type = (table: string, column: string) => byName.get(table)?.columns.find((c) => c.name === column)?.type;
    expect(type('notes', 'stars')).toBe('INTEGER');
    expect(type('notes', 'rating')).toBe('REAL');
    expect(type('notes', 'tags')).toBe('TEXT');
    expect(byName.get('counters')?.trackPrevious).toEqual({ columns: ['value'], onlyWhenChanged: false });
    expect(byName.get('counters')?.trackMetadata).toBe(true);
    expect(byName.get('notes')?.trackPrevious).toBeFalsy();
    expect(byName.get('notes')?.indexes.map((i) => i.name)).toEqual(['by_kind']);
  });

  it('refuses tracking of a column the table does not have', () => {
    expect(() => toPowerSyncSchema(testSchema, { notes: { trackPrevious: ['nope'] } })).toThrow(/unknown column nope/);
  });
});
