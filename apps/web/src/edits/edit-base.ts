import { policy, type Role, type TableName } from '@cr/demo-domain';
import { clientColumns, sameValue } from './values.ts';

/**
 * "An edit carries the base the user saw." When an edit surface opens it keeps a snapshot of the
 * row (the base). On save it writes only the fields the user changed relative to that snapshot,
 * and the version the server compares is the snapshot's, stated in `_metadata.base`
 * (packages/strategies/src/edit-base.ts) — never the version the local row has synced since. So
 * a form left open while someone else saves uploads exactly what an offline edit would: the
 * server records a conflict (tasks, documents), merges per field (patients), or judges the
 * change against its current row (orders, inventory), and nothing the user did not see is
 * written back.
 */

export type Row = { id: string } & Record<string, unknown>;

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

/** The column holding a table's version, when its strategy detects concurrency (tasks, documents). */
export function versionColumn(table: TableName): string | null {
  return policy.table(table).versionToken?.column ?? null;
}

/**
 * What changed in the row since the form opened: the fields a person edits (all of them, not only
 * the form's, since any change makes a versioned save a conflict), without the version itself.
 */
export function movedFields(table: TableName, base: Row, current: Row | null, watch?: readonly string[]): MovedField[] {
  if (current === null) return [];
  const version = versionColumn(table);
  const fields = (watch ?? clientColumns(table)).filter((field) => field !== version && Object.hasOwn(base, field));
  return fields
    .filter((field) => !sameValue(base[field], current[field]))
    .map((field) => ({ field, before: base[field], now: current[field] }));
}

export interface EditContext {
  user: { id: string; role: Role };
  /** The time of the save, canonical ISO. */
  now: string;
  /** Extra `_metadata` of the table's strategy (patients: edited_at; inventory: delta). */
  metadata?: Record<string, unknown>;
}

/**
 * The values an edit writes to the local row: the changed fields; the next version made from the
 * base's version (VERSION_TOKENS, the rule the server applies too); the audit stamps the row
 * shows until the server's own arrive; and `_metadata` stating the base (plus the strategy's own
 * metadata). Returns null when nothing changed.
 */
export function editValues(
  table: TableName,
  base: Row,
  changes: Record<string, unknown>,
  ctx: EditContext,
): Record<string, unknown> | null {
  if (Object.keys(changes).length === 0) return null;
  const token = policy.table(table).versionToken;
  const values: Record<string, unknown> = {
    ...changes,
    ...policy.table(table).stamps('update', { ...ctx, clientId: '' }),
  };
  const metadata: Record<string, unknown> = { ...ctx.metadata };
  if (token) {
    values[token.column] = token.next(base, { ...ctx, clientId: '' });
    metadata.base = { [token.column]: base[token.column] };
  }
  if (Object.keys(metadata).length > 0) values._metadata = JSON.stringify(metadata);
  return values;
}
