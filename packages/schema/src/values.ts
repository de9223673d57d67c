/**
 * Whether two values of a column are the same value, whichever way they travelled: null and
 * undefined (a field a form or an upload left out) are alike, a number and its text are alike
 * (a form field, a SQLite column read back), JSON is compared by content. The server (which
 * columns an edit changes) and the client (which fields a form changed, which differ in a
 * conflict) use this one definition.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const aNull = a === null || a === undefined;
  const bNull = b === null || b === undefined;
  if (aNull || bNull) return aNull && bNull;
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b);
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return false;
}
