import { policy, schema, type TableName } from '@cr/demo-domain';

/** Equality of column values: null and undefined alike, numbers and their text alike, JSON deeply. */
export function sameValue(a: unknown, b: unknown): boolean {
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b) && a !== null && b !== null;
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

/** The columns of a table that a person edits (client-owned), in the schema's order. */
export function clientColumns(table: TableName): string[] {
  return Object.entries(schema.table(table).columns)
    .filter(([, builder]) => builder.spec.origin === 'client')
    .map(([column]) => column);
}

/**
 * `UPDATE <table> SET a = ?, b = ? WHERE id = ?`. Every name is checked against packages/schema
 * (and `_metadata`, which the client schema adds where metadata is tracked): no name that is not a
 * column of the table ever reaches SQL.
 */
export function updateStatement(table: TableName, values: Record<string, unknown>, id: string): [string, unknown[]] {
  const columns = Object.keys(values);
  if (columns.length === 0) throw new Error('nothing to update');
  const definition = schema.table(table);
  for (const column of columns) {
    const known =
      Object.hasOwn(definition.columns, column) ||
      (column === '_metadata' && policy.table(table).tracking.trackMetadata === true);
    if (!known) throw new Error(`not a column of ${table}: ${column}`);
  }
  const assignments = columns.map((column) => `${column} = ?`).join(', ');
  return [`UPDATE ${table} SET ${assignments} WHERE id = ?`, [...columns.map((column) => values[column]), id]];
}
