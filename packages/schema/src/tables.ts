import { col } from './columns.ts';
import { defineTable, type RowOf, type TableDefinition } from './table.ts';

/**
 * THE table definitions. The Postgres migrations in infra/postgres must match them (a test
 * checks), the PowerSync client schema is generated from them, and the upload API validates
 * every uploaded value against them.
 */

export const ROLES = ['clerk', 'manager', 'doctor', 'nurse', 'reviewer'] as const;
export type Role = (typeof ROLES)[number];

export const TASK_STATUSES = ['todo', 'in_progress', 'done'] as const;
export const ORDER_STATUSES = ['pending', 'processing', 'shipped', 'completed', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const OPERATIONS = ['PUT', 'PATCH', 'DELETE'] as const;

const users = defineTable('users', {
  summary: 'Demo users and their roles (read-only for clients).',
  id: 'user',
  columns: {
    name: col.text({ min: 1, max: 200 }).serverOwned(),
    role: col.enum(ROLES).serverOwned(),
  },
});

const tasks = defineTable('tasks', {
  summary: 'Team tasks. Timestamp staleness detection: modified_at is the version the client edited.',
  id: 'uuid',
  columns: {
    // A blank title is refused by the task rule (RULE_VIOLATION, strategies/rules/task-rules.ts).
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
  client: {
    trackPrevious: { columns: ['modified_at'] },
    trackMetadata: true,
    indexes: { by_status: ['status'] },
  },
});

const documents = defineTable('documents', {
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
  client: { trackPrevious: { columns: ['version'] }, trackMetadata: true },
});

const patients = defineTable('patients', {
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
  client: { trackMetadata: true },
});

const inventory = defineTable('inventory', {
  summary: 'Stock levels. Quantity changes are applied as deltas and never go below zero.',
  id: 'uuid',
  columns: {
    sku: col.text({ pattern: /^[A-Z0-9][A-Z0-9-]{1,31}$/, describe: 'an upper-case SKU like MUG-BLUE' }),
    name: col.text({ min: 1, max: 200, notBlank: true, describe: 'a name of 1 to 200 characters' }),
    quantity: col.integer({ min: 0, default: 0 }).cumulative(),
    updated_by: col.userRef().serverOwned(),
    updated_at: col.timestamp().serverOwned(),
  },
  client: { trackPrevious: { columns: ['quantity'] }, trackMetadata: true },
});

const orders = defineTable('orders', {
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
  client: { trackPrevious: { columns: ['status'] }, indexes: { by_status: ['status'] } },
});

const writeConflicts = defineTable('write_conflicts', {
  summary: 'Recorded conflicts, resolved by their owner or a reviewer (mine / server / merged).',
  id: 'uuid',
  columns: {
    user_id: col.userRef().serverOwned(),
    table_name: col.text().serverOwned(),
    row_id: col.text().serverOwned(),
    operation: col.enum(['PUT', 'PATCH', 'DELETE']).serverOwned(),
    strategy: col.text().serverOwned(),
    code: col.text().serverOwned(),
    message: col.text().serverOwned(),
    client_values: col.json().serverOwned(),
    server_values: col.json().nullable().serverOwned(),
    base_values: col.json().nullable().serverOwned(),
    status: col.enum(['open', 'resolved'], { default: 'open' }),
    resolution: col.enum(['mine', 'server', 'merged']).nullable(),
    resolved_values: col.json().nullable(),
    resolved_by: col.userRef().nullable().serverOwned(),
    resolved_at: col.timestamp().nullable().serverOwned(),
    client_id: col.text().serverOwned(),
    op_id: col.bigint().serverOwned(),
    created_at: col.timestamp().serverOwned(),
  },
  client: { indexes: { by_status: ['status'], by_row: ['table_name', 'row_id'] } },
});

const fieldChanges = defineTable('field_changes', {
  summary: 'One row per tracked field edit; a server worker applies it or fails it with a reason.',
  id: 'uuid',
  columns: {
    user_id: col.userRef().serverOwned(),
    table_name: col.text({ max: 64 }),
    row_id: col.text({ max: 64 }),
    field_name: col.text({ max: 64 }),
    /** The new value, JSON-encoded ("\"Buy milk\"", "4", "null"). */
    new_value: col.text({ max: 110_000, describe: 'a JSON-encoded value' }),
    status: col.enum(['pending', 'applied', 'failed'], { default: 'pending' }),
    error_code: col.text().nullable().serverOwned(),
    error_message: col.text().nullable().serverOwned(),
    attempts: col.integer({ min: 0, default: 0 }).serverOwned(),
    created_at: col.timestamp().serverOwned(),
    updated_at: col.timestamp().serverOwned(),
    processed_at: col.timestamp().nullable().serverOwned(),
  },
  client: { indexes: { by_row: ['table_name', 'row_id'], by_status: ['status'] } },
});

const rejections = defineTable('rejections', {
  summary: 'Operations the API refused, and field edits that lost to a newer value, per user.',
  id: 'uuid',
  columns: {
    user_id: col.userRef().serverOwned(),
    client_id: col.text().serverOwned(),
    op_id: col.bigint().serverOwned(),
    table_name: col.text().serverOwned(),
    row_id: col.text().serverOwned(),
    operation: col.text().serverOwned(),
    code: col.text().serverOwned(),
    message: col.text().serverOwned(),
    data: col.json().nullable().serverOwned(),
    created_at: col.timestamp().serverOwned(),
    dismissed_at: col.timestamp().nullable(),
  },
  client: { indexes: { by_created: ['created_at'] } },
});

export const tables = {
  users,
  tasks,
  documents,
  patients,
  inventory,
  orders,
  write_conflicts: writeConflicts,
  field_changes: fieldChanges,
  rejections,
} as const;

export type Tables = typeof tables;
export type TableName = keyof Tables;
export const TABLE_NAMES = Object.keys(tables) as TableName[];

export function isTableName(name: unknown): name is TableName {
  return typeof name === 'string' && Object.hasOwn(tables, name);
}

export function getTable(name: TableName): TableDefinition {
  return tables[name];
}

export type UserRow = RowOf<Tables['users']>;
export type TaskRow = RowOf<Tables['tasks']>;
export type DocumentRow = RowOf<Tables['documents']>;
export type PatientRow = RowOf<Tables['patients']>;
export type InventoryRow = RowOf<Tables['inventory']>;
export type OrderRow = RowOf<Tables['orders']>;
export type WriteConflictRow = RowOf<Tables['write_conflicts']>;
export type FieldChangeRow = RowOf<Tables['field_changes']>;
export type RejectionRow = RowOf<Tables['rejections']>;
