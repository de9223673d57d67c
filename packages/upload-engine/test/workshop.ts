import { col, defineSchema, defineTable } from '@cr/schema';
import {
  type Actor,
  acknowledge,
  definePolicy,
  delta,
  fieldChanges,
  readOnly,
  recordConflicts,
  rejections,
  revisionsTable,
  threeWayMerge,
  timestamp,
  trackChanges,
  version,
  writeConflicts,
} from '@cr/strategies';
import type pg from 'pg';

/**
 * The engine's own test app, a workshop: todos (timestamps, tracked changes), notes (versions),
 * drafts (versions, merged three ways, with revisions), counters (deltas, with a unique label the strategies cannot foresee). Its SQL: test/sql.
 */
export const ROLES = ['maker', 'viewer', 'lead'] as const;

const members = defineTable('members', {
  summary: 'Members and their roles.',
  id: 'user',
  columns: { name: col.text().serverOwned(), role: col.enum(ROLES).serverOwned() },
});
const todos = defineTable('todos', {
  summary: 'Todos under timestamp staleness detection.',
  id: 'uuid',
  columns: {
    text: col.text({ min: 1, max: 100, describe: 'a text of 1 to 100 characters' }),
    priority: col.integer({ min: 1, max: 5, default: 3 }),
    changed_at: col.timestamp(),
    changed_by: col.userRef().serverOwned(),
  },
});
const notes = defineTable('notes', {
  summary: 'Notes under version numbers.',
  id: 'uuid',
  columns: {
    title: col.text({ max: 100 }),
    body: col.text({ max: 10_000, default: '' }),
    version: col.integer({ min: 1, default: 1 }),
    updated_by: col.userRef().serverOwned(),
    updated_at: col.timestamp().serverOwned(),
  },
});
const drafts = defineTable('drafts', {
  summary: 'Drafts under version numbers, edits of older versions merged three ways.',
  id: 'uuid',
  columns: {
    title: col.text({ max: 100 }),
    body: col.text({ max: 10_000, default: '' }),
    version: col.integer({ min: 1, default: 1 }),
    updated_by: col.userRef().serverOwned(),
    updated_at: col.timestamp().serverOwned(),
  },
});
/** Every applied version of a draft (the `history` option), kept: the last 3, and 1 day. */
const draftRevisions = revisionsTable('draft_revisions', drafts, ['title', 'body']);
export const DRAFT_HISTORY = { last: 3, days: 1 } as const;
const counters = defineTable('counters', {
  summary: 'Counters changed by deltas; labels are unique in the database.',
  id: 'uuid',
  columns: { label: col.text({ max: 40 }), value: col.integer({ min: 0, default: 0 }).cumulative() },
});

export const schema = defineSchema([
  members,
  todos,
  notes,
  drafts,
  draftRevisions,
  counters,
  writeConflicts,
  fieldChanges,
  rejections,
]);

export const policy = definePolicy(schema, {
  roles: ROLES,
  stamps: { write: { updated_by: 'user', updated_at: 'now', changed_by: 'user' } },
  tables: {
    members: { strategy: readOnly() },
    todos: {
      strategy: timestamp({ column: 'changed_at' }),
      writers: ['maker', 'lead'],
      tracked: ['text', 'priority'],
      checkValues: (v) =>
        typeof v.text === 'string' && v.text.trim() === '' ? { message: 'A todo needs words.' } : null,
    },
    notes: { strategy: version({ column: 'version' }), writers: ['maker', 'lead'] },
    drafts: {
      strategy: threeWayMerge({ fields: ['title', 'body'], version: 'version' }),
      writers: ['maker', 'lead'],
      history: { table: 'draft_revisions', keep: DRAFT_HISTORY },
    },
    draft_revisions: { strategy: readOnly() },
    counters: {
      strategy: delta({ column: 'value', min: 0 }),
      writers: ['maker', 'lead'],
      describe: (row) => String(row.label),
    },
    write_conflicts: { strategy: recordConflicts({ reviewers: ['lead'] }) },
    field_changes: { strategy: trackChanges() },
    rejections: { strategy: acknowledge() },
  },
});

export const MEMBERS = {
  mia: { id: 'mia', role: 'maker' },
  max: { id: 'max', role: 'maker' },
  lee: { id: 'lee', role: 'lead' },
  val: { id: 'val', role: 'viewer' },
} as const satisfies Record<string, Actor>;

export async function seedMembers(pool: pg.Pool): Promise<void> {
  for (const member of Object.values(MEMBERS)) {
    await pool.query('INSERT INTO members (id, name, role) VALUES ($1, $2, $3)', [member.id, member.id, member.role]);
  }
}

/** The workshop's authors, from its members table (the worker's `resolveAuthors`). */
export async function membersById(client: pg.ClientBase, ids: readonly string[]): Promise<Map<string, Actor>> {
  const { rows } = await client.query<Actor>('SELECT id, role FROM members WHERE id = ANY($1::text[])', [[...ids]]);
  return new Map(rows.map((row) => [row.id, row]));
}
