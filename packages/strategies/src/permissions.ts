import type { Role, TableName } from '@cr/schema';

/**
 * Which roles may write each domain table (from the signed token, never from row data). Tables
 * not listed here have their own rules: conflicts (owner or reviewer), field changes and
 * rejections (owner), users (nobody).
 */
export const TABLE_WRITERS: Partial<Record<TableName, readonly Role[]>> = {
  tasks: ['clerk', 'manager'],
  documents: ['clerk', 'manager'],
  orders: ['clerk', 'manager'],
  inventory: ['clerk', 'manager'],
  patients: ['doctor', 'nurse'],
};

export function canWriteTable(role: Role, table: TableName): boolean {
  return TABLE_WRITERS[table]?.includes(role) ?? false;
}
