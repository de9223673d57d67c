import type { AnyBuilder, ColumnSpec, ValueOf } from './columns.ts';

/** Client-side change tracking a strategy needs (see @powersync/common Table options). */
export interface ClientTableOptions {
  /** Old values of these columns travel with every PATCH and DELETE, changed or not. */
  trackPrevious?: { columns: readonly string[] };
  /** The client may attach a `_metadata` JSON string to a write. */
  trackMetadata?: boolean;
  /** Indexes on the client's local table: name → columns. */
  indexes?: Readonly<Record<string, readonly string[]>>;
}

export interface TableDefinition<C extends Record<string, AnyBuilder> = Record<string, AnyBuilder>> {
  readonly name: string;
  /** How row ids look: client-generated UUIDs, or readable user ids. */
  readonly id: 'uuid' | 'user';
  readonly columns: C;
  readonly client: ClientTableOptions;
  /** Whether clients download it (it is in the publication and the sync rules). */
  readonly synced: boolean;
  readonly summary: string;
}

export function defineTable<const C extends Record<string, AnyBuilder>>(
  name: string,
  definition: Omit<TableDefinition<C>, 'name' | 'client' | 'synced'> & {
    client?: ClientTableOptions;
    synced?: boolean;
  },
): TableDefinition<C> {
  for (const column of definition.client?.trackPrevious?.columns ?? []) {
    if (!(column in definition.columns)) throw new Error(`${name}: trackPrevious names unknown column ${column}`);
  }
  return { client: {}, synced: true, ...definition, name };
}

/** A row of a table as the API and the client see it: `id` plus every column. */
export type RowOf<T> = T extends TableDefinition<infer C> ? { id: string } & { [K in keyof C]: ValueOf<C[K]> } : never;

export function columnSpec(table: TableDefinition, column: string): ColumnSpec | undefined {
  return Object.hasOwn(table.columns, column) ? table.columns[column]?.spec : undefined;
}

export function columnNames(table: TableDefinition): string[] {
  return Object.keys(table.columns);
}
