import { col, defineTable } from '@cr/schema';

/**
 * The synced tables in which outcomes reach the people who caused them. The strategies write
 * their rows (`outcome-rows.ts`, `recordConflicts`, `trackChanges`, `acknowledge`) and the upload
 * engine ships their SQL (@cr/upload-engine): an app lists them in its schema, next to its own
 * tables, and syncs them per user.
 */

export const OUTCOME_TABLES = {
  conflicts: 'write_conflicts',
  rejections: 'rejections',
  fieldChanges: 'field_changes',
} as const;

/** Recorded conflicts, resolved by their owner or a reviewing role (mine / server / merged). */
export const writeConflicts = defineTable('write_conflicts', {
  summary: 'Recorded conflicts, resolved by their owner or a reviewing role (mine / server / merged).',
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
  clientIndexes: { by_status: ['status'], by_row: ['table_name', 'row_id'] },
});

/** One row per tracked field edit; the field-change worker applies it or fails it with a reason. */
export const fieldChanges = defineTable('field_changes', {
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
  clientIndexes: { by_row: ['table_name', 'row_id'], by_status: ['status'] },
});

/** Operations the engine refused, and field edits that lost to a newer value, per user. */
export const rejections = defineTable('rejections', {
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
  clientIndexes: { by_created: ['created_at'] },
});
