import { getTable, isoFromMillis, parseTimestamp, type TableName } from '@cr/schema';
import type { Context, Effect, Row } from './types.ts';

/**
 * Audit columns the API stamps itself, by name: whoever has them gets them. `modified_at` is not
 * here on purpose: for tasks it is the client's version token (see strategies/timestamp.ts).
 */
const ON_INSERT = ['created_by', 'created_at'] as const;
const ON_WRITE = ['updated_by', 'updated_at', 'modified_by'] as const;

function stampValue(column: string, ctx: Context): string {
  return column.endsWith('_by') ? ctx.user.id : ctx.now;
}

/** The audit stamps for a write to `table` (who and when), for an insert or an update. */
export function auditStamps(table: TableName, kind: 'insert' | 'update', ctx: Context): Record<string, unknown> {
  const columns = getTable(table).columns;
  const stamps: Record<string, unknown> = {};
  for (const column of kind === 'insert' ? [...ON_INSERT, ...ON_WRITE] : ON_WRITE) {
    if (column in columns) stamps[column] = stampValue(column, ctx);
  }
  return stamps;
}

/**
 * A complete new row: every column's default (or null), then the client's validated values for
 * client-owned columns, then the audit stamps, then `server`: values the strategy decided itself.
 * Nothing the client sent for a server-owned column survives.
 */
export function newRow(
  table: TableName,
  id: string,
  values: Record<string, unknown>,
  ctx: Context,
  server: Record<string, unknown> = {},
): Row {
  const row: Row = { id };
  for (const [column, builder] of Object.entries(getTable(table).columns)) {
    const spec = builder.spec;
    if (spec.origin === 'client' && column in values) row[column] = values[column];
    else row[column] = spec.default !== undefined ? structuredClone(spec.default) : null;
  }
  return { ...row, ...auditStamps(table, 'insert', ctx), ...server };
}

/** The row after an effect (null when deleted). Pure: the input row is not modified. */
export function applyEffect(table: TableName, id: string, current: Row | null, effect: Effect): Row | null {
  switch (effect.kind) {
    case 'insert':
      return { ...effect.row, id };
    case 'update':
      if (current === null) throw new Error(`update of missing row ${table}:${id}`);
      return { ...current, ...effect.set };
    case 'delete':
      return null;
  }
}

/** A version timestamp strictly after `previous` and no earlier than now. */
export function nextTimestamp(previous: unknown, now: string): string {
  const before = typeof previous === 'string' ? (parseTimestamp(previous) ?? 0) : 0;
  const current = parseTimestamp(now) ?? 0;
  return isoFromMillis(Math.max(current, before + 1));
}

/** Only the columns of `values` whose value differs from the row's (deep for JSON). */
export function changedColumns(row: Row, values: Record<string, unknown>): Record<string, unknown> {
  const changed: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(values)) {
    if (!sameValue(row[column], value)) changed[column] = value;
  }
  return changed;
}

export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) {
    return JSON.stringify(a) === JSON.stringify(b);
  }
  return false;
}
