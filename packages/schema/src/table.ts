import type { AnyBuilder, ColumnSpec, ValueOf } from './columns.ts';

/** Names that reach SQL as identifiers: lower-case letters, digits and underscores. */
export const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export interface TableDefinition<
  N extends string = string,
  C extends Record<string, AnyBuilder> = Record<string, AnyBuilder>,
> {
  readonly name: N;
  /** How row ids look: client-generated UUIDs, or readable user ids (`USER_ID_PATTERN`). */
  readonly id: 'uuid' | 'user';
  readonly columns: C;
  /** Indexes on the client's local table: name → columns. */
  readonly clientIndexes: Readonly<Record<string, readonly string[]>>;
  /** Whether clients download it (it is in the publication and the sync rules). */
  readonly synced: boolean;
  readonly summary: string;
}

/**
 * One table: its columns (see `col`), how its ids look and what it is for. The change tracking a
 * client needs for it (`trackPrevious`, `trackMetadata`) is not declared here: the strategy the
 * policy gives the table says what it compares (`definePolicy` in @cr/strategies).
 */
export function defineTable<const N extends string, const C extends Record<string, AnyBuilder>>(
  name: N,
  definition: {
    summary: string;
    id: 'uuid' | 'user';
    columns: C;
    clientIndexes?: Readonly<Record<string, readonly string[]>>;
    synced?: boolean;
  },
): TableDefinition<N, C> {
  if (!IDENTIFIER.test(name)) throw new Error(`defineTable: "${name}" is not a usable SQL name (a-z, 0-9, _)`);
  for (const column of Object.keys(definition.columns)) {
    if (!IDENTIFIER.test(column) || column === 'id' || column === '_metadata') {
      throw new Error(`defineTable(${name}): "${column}" cannot be a column name`);
    }
  }
  for (const [index, columns] of Object.entries(definition.clientIndexes ?? {})) {
    for (const column of columns) {
      if (!(column in definition.columns)) throw new Error(`${name}: index ${index} names unknown column ${column}`);
    }
  }
  return {
    name,
    id: definition.id,
    columns: definition.columns,
    clientIndexes: definition.clientIndexes ?? {},
    synced: definition.synced ?? true,
    summary: definition.summary,
  };
}

/** The change tracking a table's strategy needs on the client (derived by `definePolicy`). */
export interface ClientTracking {
  /** Old values of these columns travel with every PATCH and DELETE, changed or not. */
  readonly trackPrevious?: readonly string[];
  /** The client may attach a `_metadata` JSON string to a write. */
  readonly trackMetadata?: boolean;
}

/** A row of a table as the API and the client see it: `id` plus every column. */
export type RowOf<T> =
  T extends TableDefinition<string, infer C> ? { id: string } & { [K in keyof C]: ValueOf<C[K]> } : never;

export function columnSpec(table: TableDefinition, column: string): ColumnSpec | undefined {
  return Object.hasOwn(table.columns, column) ? table.columns[column]?.spec : undefined;
}

export function columnNames(table: TableDefinition): string[] {
  return Object.keys(table.columns);
}

/** The columns a person (a client) writes, in the table's order: not the ones the server owns. */
export function clientColumns(table: TableDefinition): string[] {
  return Object.entries(table.columns)
    .filter(([, builder]) => builder.spec.origin === 'client')
    .map(([column]) => column);
}
