import { col, defineSchema, defineTable, type RowOf } from '@cr/schema';
import { fieldChanges, rejections, revisionsTable, writeConflicts } from '@cr/strategies';
import { ORDER_STATUSES, ROLES, TASK_STATUSES } from './roles.ts';

/**
 * The demo's tables. The Postgres migrations in infra/postgres must match them (a test checks),
 * the PowerSync client schema is generated from them (client.ts), and the upload engine validates
 * every uploaded value against them. How each is governed, and so what its clients track: policy.ts.
 */

export const users = defineTable('users', {
  summary: 'Demo users and their roles (read-only for clients).',
  id: 'user',
  columns: {
    name: col.text({ min: 1, max: 200 }).serverOwned(),
    role: col.enum(ROLES).serverOwned(),
  },
});

export const tasks = defineTable('tasks', {
  summary: 'Team tasks. Timestamp staleness detection: modified_at is the version the client edited.',
  id: 'uuid',
  columns: {
    // A blank title is refused by the task rule (RULE_VIOLATION, rules/task-rules.ts).
    title: col.text({ min: 1, max: 200, describe: 'a title of 1 to 200 characters' }),
    description: col.text({ max: 5000, default: '' }),
    status: col.enum(TASK_STATUSES, { default: 'todo' }),
    priority: col.integer({ min: 1, max: 5, default: 3, describe: 'a priority from 1 (highest) to 5' }),
    due_date: col.date().nullable(),
    assignee_id: col.userRef().nullable(),
    created_by: col.userRef().serverOwned(),
    created_at: col.timestamp().serverOwned(),
    modified_at: col.timestamp({ describe: 'the time of this edit, later than the version it was made on' }),
    modified_by: col.userRef().serverOwned(),
  },
  clientIndexes: { by_status: ['status'] },
});

export const documents = defineTable('documents', {
  summary: 'Shared documents. Sequence-number versioning: each accepted edit bumps version by one.',
  id: 'uuid',
  columns: {
    title: col.text({ min: 1, max: 200, notBlank: true, describe: 'a title of 1 to 200 characters' }),
    body: col.text({ max: 100_000, default: '' }),
    version: col.integer({ min: 1, default: 1, describe: 'the version this edit creates' }),
    created_by: col.userRef().serverOwned(),
    created_at: col.timestamp().serverOwned(),
    updated_by: col.userRef().serverOwned(),
    updated_at: col.timestamp().serverOwned(),
  },
});

/**
 * Every applied version of a document (title and body), with its author, time and kind (create,
 * edit, merge, resolution, restore): written by the upload engine in the same transaction as the
 * document (policy option `history`), synced to everyone who sees documents (a lower-priority
 * bucket), so the history view works offline. Clients only read it.
 */
export const documentRevisions = revisionsTable('document_revisions', documents, ['title', 'body'], {
  summary: 'Every applied version of a document, with who wrote it, when and how (edit, merge, restore…).',
});

export const patients = defineTable('patients', {
  summary: 'Patient records. Field-level last-write-wins with per-field edit times.',
  id: 'uuid',
  columns: {
    name: col.text({ min: 1, max: 200, notBlank: true, describe: 'a name of 1 to 200 characters' }),
    date_of_birth: col.date().nullable(),
    diagnosis: col.text({ max: 2000, default: '' }),
    treatment: col.text({ max: 2000, default: '' }),
    heart_rate: col.integer({ min: 20, max: 250, describe: 'beats per minute, 20 to 250' }).nullable(),
    blood_pressure: col
      .text({ pattern: /^[0-9]{2,3}\/[0-9]{2,3}$/, describe: 'systolic/diastolic, like 120/80' })
      .nullable(),
    temperature: col.real({ min: 30, max: 45, describe: 'degrees Celsius, 30 to 45' }).nullable(),
    notes: col.text({ max: 5000, default: '' }),
    field_versions: col.json({ default: {} }).serverOwned(),
    updated_by: col.userRef().serverOwned(),
    updated_at: col.timestamp().serverOwned(),
  },
});

export const inventory = defineTable('inventory', {
  summary: 'Stock levels. Quantity changes are applied as deltas and never go below zero.',
  id: 'uuid',
  columns: {
    sku: col.text({ pattern: /^[A-Z0-9][A-Z0-9-]{1,31}$/, describe: 'an upper-case SKU like MUG-BLUE' }),
    name: col.text({ min: 1, max: 200, notBlank: true, describe: 'a name of 1 to 200 characters' }),
    quantity: col.integer({ min: 0, default: 0 }).cumulative(),
    updated_by: col.userRef().serverOwned(),
    updated_at: col.timestamp().serverOwned(),
  },
});

export const orders = defineTable('orders', {
  summary: 'Customer orders. Business rules: status transitions, locks, manager-only price changes.',
  id: 'uuid',
  columns: {
    customer: col.text({ min: 1, max: 200, notBlank: true, describe: 'a customer name of 1 to 200 characters' }),
    product_id: col.uuid().nullable(),
    quantity: col.integer({ min: 0, describe: 'a quantity of zero or more' }),
    price_cents: col.integer({ min: 0, describe: 'a price in cents, zero or more' }),
    status: col.enum(ORDER_STATUSES, { default: 'pending' }),
    created_by: col.userRef().serverOwned(),
    created_at: col.timestamp().serverOwned(),
    updated_by: col.userRef().serverOwned(),
    updated_at: col.timestamp().serverOwned(),
  },
  clientIndexes: { by_status: ['status'] },
});

/**
 * The demo's schema: its own tables, then the outcome tables of @cr/strategies, in the order rows
 * are locked (referenced tables first: orders after inventory).
 */
export const schema = defineSchema([
  users,
  tasks,
  documents,
  documentRevisions,
  patients,
  inventory,
  orders,
  writeConflicts,
  fieldChanges,
  rejections,
]);

export type DemoSchema = typeof schema;
export type TableName = DemoSchema['names'][number];
export const TABLE_NAMES = schema.names;

export type UserRow = RowOf<typeof users>;
export type TaskRow = RowOf<typeof tasks>;
export type DocumentRow = RowOf<typeof documents>;
export type DocumentRevisionRow = RowOf<typeof documentRevisions>;
export type PatientRow = RowOf<typeof patients>;
export type InventoryRow = RowOf<typeof inventory>;
export type OrderRow = RowOf<typeof orders>;
export type WriteConflictRow = RowOf<typeof writeConflicts>;
export type FieldChangeRow = RowOf<typeof fieldChanges>;
export type RejectionRow = RowOf<typeof rejections>;
