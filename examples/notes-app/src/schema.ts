import { col, defineSchema, defineTable } from '@cr/schema';
import { rejections, writeConflicts } from '@cr/strategies';

/** A notes app: notes edited under version numbers, counters changed by deltas. */
export const notes = defineTable('notes', {
  summary: 'Notes; every accepted edit bumps the version by one.',
  id: 'uuid',
  columns: {
    title: col.text({ min: 1, max: 200, notBlank: true, describe: 'a title of 1 to 200 characters' }),
    body: col.text({ max: 20_000, default: '' }),
    version: col.integer({ min: 1, default: 1 }),
    owner_id: col.userRef().serverOwned(),
    updated_by: col.userRef().serverOwned(),
    updated_at: col.timestamp().serverOwned(),
  },
});

export const counters = defineTable('counters', {
  summary: 'Counters; changes are deltas and the value never goes below zero.',
  id: 'uuid',
  columns: {
    name: col.text({ min: 1, max: 80 }),
    value: col.integer({ min: 0, default: 0 }).cumulative(),
    updated_by: col.userRef().serverOwned(),
    updated_at: col.timestamp().serverOwned(),
  },
});

/** The app's tables, then the engine's outcome tables (the engine records refusals and conflicts there). */
export const schema = defineSchema([notes, counters, writeConflicts, rejections]);
