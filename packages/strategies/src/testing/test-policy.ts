import { col, defineSchema, defineTable } from '@cr/schema';
import { reject } from '../decisions.ts';
import { fieldChanges, rejections, writeConflicts } from '../outcome-tables.ts';
import { definePolicy } from '../policy/define-policy.ts';
import { acknowledge } from '../strategies/acknowledge.ts';
import { delta } from '../strategies/delta.ts';
import { fieldLww } from '../strategies/field-lww.ts';
import { readOnly } from '../strategies/read-only.ts';
import { recordConflicts } from '../strategies/record-conflicts.ts';
import { rules } from '../strategies/rules.ts';
import { threeWayMerge } from '../strategies/three-way-merge.ts';
import { timestamp } from '../strategies/timestamp.ts';
import { trackChanges } from '../strategies/track-changes.ts';
import { version } from '../strategies/version.ts';
import type { Context, Decision, Operation, Row } from '../types.ts';
import { WorkingSet } from '../working-set.ts';

/**
 * The package's own small app, for its tests: a workspace with todos (timestamps), pages
 * (versions), cards (per-field last-write-wins), tickets (rules), counters (deltas) and the
 * outcome tables. Nothing of the demo's.
 */
export const ROLES = ['editor', 'writer', 'reader', 'moderator'] as const;

const members = defineTable('members', {
  summary: 'Members (read-only).',
  id: 'user',
  columns: { name: col.text().serverOwned(), role: col.enum(ROLES).serverOwned() },
});
const todos = defineTable('todos', {
  summary: 'Timestamped todos.',
  id: 'uuid',
  columns: {
    text: col.text({ min: 1, max: 100 }),
    done: col.integer({ min: 0, max: 1, default: 0 }),
    changed_at: col.timestamp(),
    changed_by: col.userRef().serverOwned(),
  },
});
const pages = defineTable('pages', {
  summary: 'Versioned pages.',
  id: 'uuid',
  columns: {
    title: col.text({ max: 100 }),
    content: col.text({ max: 1000, default: '' }),
    rev: col.integer({ min: 1, default: 1 }),
    updated_by: col.userRef().serverOwned(),
    updated_at: col.timestamp().serverOwned(),
  },
});
const articles = defineTable('articles', {
  summary: 'Articles, merged three ways.',
  id: 'uuid',
  columns: {
    title: col.text({ max: 100 }),
    body: col.text({ max: 1000, default: '' }),
    status: col.enum(['draft', 'final'], { default: 'draft' }),
    rev: col.integer({ min: 1, default: 1 }),
    updated_by: col.userRef().serverOwned(),
    updated_at: col.timestamp().serverOwned(),
  },
});
const cards = defineTable('cards', {
  summary: 'Cards, per-field last-write-wins.',
  id: 'uuid',
  columns: {
    front: col.text({ max: 100, default: '' }),
    back: col.text({ max: 100, default: '' }),
    notes: col.text({ max: 100, default: '' }),
    stamps: col.json({ default: {} }).serverOwned(),
    updated_by: col.userRef().serverOwned(),
    updated_at: col.timestamp().serverOwned(),
  },
});
const tickets = defineTable('tickets', {
  summary: 'Tickets, open or closed.',
  id: 'uuid',
  columns: { subject: col.text({ max: 100 }), state: col.enum(['open', 'closed'], { default: 'open' }) },
});
const counters = defineTable('counters', {
  summary: 'Counters, changed by deltas.',
  id: 'uuid',
  columns: { label: col.text({ max: 40 }), value: col.integer({ min: 0, default: 0 }).cumulative() },
});

export const schema = defineSchema([
  members,
  todos,
  pages,
  articles,
  cards,
  tickets,
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
      writers: ['editor', 'writer'],
      checkValues: (values) =>
        typeof values.text === 'string' && values.text.trim() === '' ? { message: 'A todo needs words.' } : null,
      tracked: ['text', 'done'],
    },
    pages: { strategy: version({ column: 'rev' }), writers: ['editor', 'writer'] },
    articles: {
      strategy: threeWayMerge({ fields: ['title', 'body'], version: 'rev' }),
      writers: ['editor', 'writer'],
      checkValues: (values) => (values.title === '' ? { message: 'An article needs a title.' } : null),
    },
    cards: {
      strategy: fieldLww({
        stamps: 'stamps',
        ownership: { editor: ['front', 'back', 'notes'], writer: ['notes'] },
        admins: ['editor'],
      }),
      writers: ['editor', 'writer'],
    },
    tickets: {
      strategy: rules((op, row) =>
        row?.state === 'closed' && op.op !== 'DELETE' ? reject('TICKET_CLOSED', 'A closed ticket stays closed.') : null,
      ),
      writers: ['editor', 'writer'],
    },
    counters: {
      strategy: delta({ column: 'value', min: 0 }),
      writers: ['editor', 'writer'],
      label: 'counter',
      describe: (row) => JSON.stringify(row.label),
    },
    write_conflicts: {
      strategy: recordConflicts({ reviewers: ['moderator'] }),
      label: { one: 'conflict', many: 'conflicts' },
    },
    field_changes: { strategy: trackChanges() },
    rejections: { strategy: acknowledge() },
  },
});

export const NOW = '2026-11-22T12:00:00.000Z';
const USERS: Record<string, (typeof ROLES)[number]> = { eve: 'editor', will: 'writer', rae: 'reader', mo: 'moderator' };

export function ctxFor(user: string, overrides: Partial<Context> = {}): Context {
  const role = USERS[user];
  if (!role) throw new Error(`unknown test user ${user}`);
  return { user: { id: user, role }, now: NOW, clientId: `client-${user}`, ...overrides };
}

let nextOpId = 1;

/** An operation as the SDK would upload it (CrudEntry.toJSON()), parsed as the engine does. */
export function operation(entry: {
  op: string;
  type: string;
  id: string;
  data?: unknown;
  old?: unknown;
  metadata?: unknown;
  op_id?: number;
}): Operation {
  const parsed = policy.parse({ ...entry, op_id: entry.op_id ?? nextOpId++ });
  if (!parsed.ok) throw new Error(`test operation did not parse: ${parsed.code} ${parsed.message}`);
  return parsed.operation;
}

/** A working set holding the given rows (and knowing the given ids to be absent). */
export function rowsOf(rows: Array<[string, Row]>, absent: Array<[string, string]> = []): WorkingSet {
  const set = new WorkingSet();
  for (const [table, row] of rows) set.load(table, row.id, structuredClone(row));
  for (const [table, id] of absent) set.load(table, id, null);
  return set;
}

/** Decides an operation and applies its writes to the set, as the engine does. */
export function run(op: Operation, set: WorkingSet, ctx: Context): Decision {
  if (!set.has(op.table, op.id)) set.load(op.table, op.id, null);
  for (const key of policy.related(op, set)) if (!set.has(key.table, key.id)) set.load(key.table, key.id, null);
  const decision = policy.decide(op, set, ctx);
  if (decision.outcome !== 'conflict') set.apply(decision.writes);
  return decision;
}

export const ID = {
  todo: 'a0000000-0000-4000-8000-000000000001',
  page: 'b0000000-0000-4000-8000-000000000001',
  article: 'b1000000-0000-4000-8000-000000000001',
  card: 'c0000000-0000-4000-8000-000000000001',
  ticket: 'd0000000-0000-4000-8000-000000000001',
  counter: 'e0000000-0000-4000-8000-000000000001',
  conflict: 'f0000000-0000-4000-8000-000000000001',
  change: 'f1000000-0000-4000-8000-000000000001',
  rejection: 'f2000000-0000-4000-8000-000000000001',
} as const;

export const todo = (o: Partial<Row> = {}): Row => ({
  id: ID.todo,
  text: 'Water the plants',
  done: 0,
  changed_at: '2026-11-01T09:00:00.000Z',
  changed_by: 'eve',
  ...o,
});
export const page = (o: Partial<Row> = {}): Row => ({
  id: ID.page,
  title: 'Welcome',
  content: 'Hello',
  rev: 3,
  updated_by: 'eve',
  updated_at: '2026-11-01T09:00:00.000Z',
  ...o,
});
export const card = (o: Partial<Row> = {}): Row => ({
  id: ID.card,
  front: 'Q',
  back: 'A',
  notes: '',
  stamps: {},
  updated_by: 'eve',
  updated_at: '2026-11-01T09:00:00.000Z',
  ...o,
});
export const counter = (o: Partial<Row> = {}): Row => ({ id: ID.counter, label: 'Visits', value: 10, ...o });
