import type { TableDefinition } from '@cr/schema';
import type { Context } from '../types.ts';

/** What a stamp column holds: the signed-in user's id, or the server's time of the request. */
export type StampSource = 'user' | 'now';

/** Server-owned who/when columns, by name: set on every insert, and on every write. */
export interface StampConfig {
  insert?: Readonly<Record<string, StampSource>>;
  write?: Readonly<Record<string, StampSource>>;
}

export const DEFAULT_STAMPS: Required<StampConfig> = {
  insert: { created_by: 'user', created_at: 'now' },
  write: { updated_by: 'user', updated_at: 'now' },
};

/**
 * The stamp columns a table has, for an insert (insert and write stamps) or an update (write
 * stamps). Only server-owned columns are stamped: a client-owned column of the same name is the
 * client's to set (a timestamp strategy's version, for instance).
 */
export function stampColumns(
  definition: TableDefinition,
  config: StampConfig,
  kind: 'insert' | 'update',
): Record<string, StampSource> {
  const wanted = kind === 'insert' ? { ...config.insert, ...config.write } : { ...config.write };
  const columns: Record<string, StampSource> = {};
  for (const [column, source] of Object.entries(wanted)) {
    if (definition.columns[column]?.spec.origin === 'server') columns[column] = source;
  }
  return columns;
}

export function stampValues(columns: Readonly<Record<string, StampSource>>, ctx: Context): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [column, source] of Object.entries(columns)) values[column] = source === 'user' ? ctx.user.id : ctx.now;
  return values;
}
