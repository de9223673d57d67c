import type { TableDefinition } from './table.ts';

/**
 * The tables of an app, passed to everything that needs them (the policy, the upload engine, the
 * client schema, the validators). Nothing in the packages knows an app's tables otherwise.
 */
export interface Schema<T extends TableDefinition = TableDefinition> {
  /** The tables by name. */
  readonly tables: { readonly [D in T as D['name']]: D };
  /** Table names in declaration order. */
  readonly names: readonly T['name'][];
  /** Whether `name` is a table of this schema (an uploaded name is checked with this, never trusted). */
  has(name: unknown): name is T['name'];
  /** The table called `name`; throws for a name that is not one (check with `has` first). */
  table<N extends T['name']>(name: N): Extract<T, { name: N }>;
}

/** The table names of a schema. */
export type TableNameOf<S> = S extends Schema<infer T> ? T['name'] : never;

/** Declares the schema of an app from its tables, in the order they are listed. */
export function defineSchema<const T extends readonly TableDefinition[]>(tables: T): Schema<T[number]> {
  const byName = new Map<string, TableDefinition>();
  for (const table of tables) {
    if (byName.has(table.name)) throw new Error(`defineSchema: table ${table.name} is listed twice`);
    byName.set(table.name, table);
  }
  const names = tables.map((table) => table.name);
  return {
    tables: Object.freeze(Object.fromEntries(byName)) as Schema<T[number]>['tables'],
    names,
    has: (name: unknown): name is T[number]['name'] => typeof name === 'string' && byName.has(name),
    table(name) {
      const table = byName.get(name);
      if (!table) throw new Error(`no table named ${JSON.stringify(name)} in this schema`);
      return table as never;
    },
  };
}
