import { clientColumns, sameValue } from '@cr/schema';
import type { Actor, PolicyTable, Row } from '@cr/strategies';

/**
 * "An edit carries the base the user saw." When an edit surface opens it keeps a snapshot of the
 * row (the base). On save it writes only the fields the user changed relative to that snapshot,
 * and the version the server compares is the snapshot's, stated in `_metadata.base` (see
 * `editBase` in @cr/strategies) — never the version the local row has synced since. So a form
 * left open while someone else saves uploads exactly what an offline edit would: the server
 * records a conflict (timestamps, versions), merges per field (field-level LWW), or judges the
 * change against its current row (rules, deltas), and nothing the user did not see is written back.
 *
 * Every function takes the table from the app's policy (`policy.table(name)`), so the next
 * version, the stamps and the metadata follow the same rules as the server's.
 */

/** The fields of `next` whose value differs from the base: what the user changed, nothing else. */
export function editedFields(
  base: Record<string, unknown>,
  next: Record<string, unknown>,
  fields: readonly string[],
): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const field of fields) {
    if (Object.hasOwn(next, field) && !sameValue(base[field], next[field])) changes[field] = next[field];
  }
  return changes;
}

export interface MovedField {
  field: string;
  /** The value the form was opened on. */
  before: unknown;
  /** The value the synced row has now. */
  now: unknown;
}

/**
 * What changed in the row since the form opened: the fields a person edits (all of them, not only
 * the form's, since any change makes a versioned save a conflict), without the version itself.
 */
export function movedFields(
  table: PolicyTable,
  base: Row,
  current: Row | null,
  watch?: readonly string[],
): MovedField[] {
  if (current === null) return [];
  const version = table.versionToken?.column;
  const fields = (watch ?? clientColumns(table.definition)).filter(
    (field) => field !== version && Object.hasOwn(base, field),
  );
  return fields
    .filter((field) => !sameValue(base[field], current[field]))
    .map((field) => ({ field, before: base[field], now: current[field] }));
}

export interface EditContext {
  user: Actor;
  /** The time of the save, canonical ISO. */
  now: string;
  /** Extra `_metadata` of the table's strategy (field-level LWW: edited_at; deltas: delta). */
  metadata?: Record<string, unknown>;
}

/**
 * The values an edit writes to the local row: the changed fields; the next version made from the
 * base's version (the table's version token, the rule the server applies too); the stamps the
 * row shows until the server's own arrive; and `_metadata` stating the base (plus the strategy's
 * own metadata). Returns null when nothing changed.
 */
export function editValues(
  table: PolicyTable,
  base: Row,
  changes: Record<string, unknown>,
  ctx: EditContext,
): Record<string, unknown> | null {
  if (Object.keys(changes).length === 0) return null;
  const context = { user: ctx.user, now: ctx.now, clientId: '' };
  const token = table.versionToken;
  const values: Record<string, unknown> = { ...changes, ...table.stamps('update', context) };
  const metadata: Record<string, unknown> = { ...ctx.metadata };
  if (token) {
    values[token.column] = token.next(base, context);
    const snapshot: Record<string, unknown> = { [token.column]: base[token.column] };
    // A three-way merge merges against what each changed field held in the base the user saw.
    if (table.snapshotsBase) for (const field of Object.keys(changes)) snapshot[field] = base[field] ?? null;
    metadata.base = snapshot;
  }
  if (Object.keys(metadata).length > 0) {
    if (!table.tracking.trackMetadata)
      throw new Error(`${table.name} does not track metadata; its edits cannot state a base`);
    values._metadata = JSON.stringify(metadata);
  }
  return values;
}

/**
 * `UPDATE <table> SET a = ?, b = ? WHERE id = ?` for the local database. Every name is checked
 * against the schema (and `_metadata`, which the client schema adds where the policy tracks
 * metadata): no name that is not a column of the table ever reaches SQL.
 */
export function localUpdate(table: PolicyTable, values: Record<string, unknown>, id: string): [string, unknown[]] {
  const columns = Object.keys(values);
  if (columns.length === 0) throw new Error('nothing to update');
  for (const column of columns) {
    const known =
      Object.hasOwn(table.definition.columns, column) ||
      (column === '_metadata' && table.tracking.trackMetadata === true);
    if (!known) throw new Error(`not a column of ${table.name}: ${column}`);
  }
  const assignments = columns.map((column) => `${column} = ?`).join(', ');
  return [`UPDATE ${table.name} SET ${assignments} WHERE id = ?`, [...columns.map((column) => values[column]), id]];
}
