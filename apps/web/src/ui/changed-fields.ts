/** The fields of `next` whose value differs from `current` (what an UPDATE needs to set). */
export function changedFields<T extends Record<string, unknown>>(
  current: T,
  next: Partial<T>,
  fields: readonly (keyof T & string)[],
): Partial<T> {
  const changes: Partial<T> = {};
  for (const field of fields) {
    if (!(field in next)) continue;
    const value = next[field];
    if (!sameValue(current[field], value)) changes[field] = value;
  }
  return changes;
}

/** Equality of column values: null and undefined alike, numbers and their text alike. */
export function sameValue(a: unknown, b: unknown): boolean {
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b) && a !== null && b !== null;
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

/** `UPDATE <table> SET a = ?, b = ? WHERE id = ?` for known column names (never user input). */
export function updateStatement(table: string, values: Record<string, unknown>, id: string): [string, unknown[]] {
  const columns = Object.keys(values);
  if (columns.length === 0) throw new Error('nothing to update');
  for (const name of [table, ...columns]) {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a column name: ${name}`);
  }
  const assignments = columns.map((column) => `${column} = ?`).join(', ');
  return [`UPDATE ${table} SET ${assignments} WHERE id = ?`, [...columns.map((column) => values[column]), id]];
}
