import { col } from './columns.ts';
import { defineSchema } from './schema.ts';
import { defineTable } from './table.ts';

/** A small schema of the package's own, for its tests: nothing here knows an app's tables. */
export const notes = defineTable('notes', {
  summary: 'Notes.',
  id: 'uuid',
  columns: {
    title: col.text({ min: 1, max: 80, notBlank: true, describe: 'a title of 1 to 80 characters' }),
    body: col.text({ max: 1000, default: '' }),
    stars: col.integer({ min: 0, max: 5, default: 0 }),
    rating: col.real({ min: 0, max: 1 }).nullable(),
    due: col.date().nullable(),
    seen_at: col.timestamp().nullable(),
    tags: col.json({ default: [] }),
    kind: col.enum(['plain', 'list'], { default: 'plain' }),
    owner: col.userRef().serverOwned(),
    edited_at: col.timestamp().serverOwned(),
  },
  clientIndexes: { by_kind: ['kind'] },
});

export const counters = defineTable('counters', {
  summary: 'Counters.',
  id: 'uuid',
  columns: { label: col.text({ max: 40 }), value: col.integer({ min: 0, default: 0 }).cumulative() },
});

export const people = defineTable('people', {
  summary: 'People (server-side only).',
  id: 'user',
  columns: { name: col.text().serverOwned() },
  synced: false,
});

export const testSchema = defineSchema([people, notes, counters]);
