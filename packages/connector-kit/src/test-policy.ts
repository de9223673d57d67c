import { col, defineSchema, defineTable } from '@cr/schema';
import {
  acknowledge,
  definePolicy,
  fieldLww,
  rejections,
  rules,
  threeWayMerge,
  timestamp,
  version,
} from '@cr/strategies';

/** A small app of the kit's own, for its tests. */
const todos = defineTable('todos', {
  summary: 'Todos.',
  id: 'uuid',
  columns: {
    text: col.text({ max: 100 }),
    priority: col.integer({ min: 1, max: 5, default: 3 }),
    changed_at: col.timestamp(),
    changed_by: col.userRef().serverOwned(),
  },
});
const pages = defineTable('pages', {
  summary: 'Pages.',
  id: 'uuid',
  columns: {
    body: col.text({ default: '' }),
    rev: col.integer({ min: 1, default: 1 }),
    updated_by: col.userRef().serverOwned(),
    updated_at: col.timestamp().serverOwned(),
  },
});
const sheets = defineTable('sheets', {
  summary: 'Sheets, merged three ways.',
  id: 'uuid',
  columns: {
    heading: col.text({ default: '' }),
    body: col.text({ default: '' }),
    rev: col.integer({ min: 1, default: 1 }),
    updated_by: col.userRef().serverOwned(),
  },
});
const cards = defineTable('cards', {
  summary: 'Cards.',
  id: 'uuid',
  columns: {
    front: col.text({ default: '' }),
    stamps: col.json({ default: {} }).serverOwned(),
    updated_by: col.userRef().serverOwned(),
  },
});
const tickets = defineTable('tickets', {
  summary: 'Tickets.',
  id: 'uuid',
  columns: { subject: col.text(), updated_at: col.timestamp().serverOwned() },
});

export const policy = definePolicy(defineSchema([todos, pages, sheets, cards, tickets, rejections]), {
  stamps: { write: { updated_by: 'user', updated_at: 'now', changed_by: 'user' } },
  tables: {
    todos: { strategy: timestamp({ column: 'changed_at' }) },
    pages: { strategy: version({ column: 'rev' }) },
    sheets: { strategy: threeWayMerge({ fields: ['heading', 'body'], version: 'rev' }) },
    cards: { strategy: fieldLww({ stamps: 'stamps' }) },
    tickets: { strategy: rules(() => null) },
    rejections: { strategy: acknowledge() },
  },
});
