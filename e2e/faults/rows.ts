import { createHash } from 'node:crypto';
import { type Role, schema, type TableName } from '@cr/demo-domain';
import { columnNames, columnSpec } from '@cr/schema';

/**
 * Rows as the fault suite compares them: a client's local row and a committed Postgres version
 * (from the observer) become the same canonical text when they hold the same values, whatever
 * the rendering (ISO `T…Z` timestamps on the client, `… +00` in Postgres; JSON as text).
 */

export type Values = Record<string, unknown>;

/** Synced tables by priority of their buckets (infra/powersync/sync-rules.yaml). */
export const PRIORITY_1: readonly TableName[] = ['users', 'tasks', 'documents', 'inventory', 'orders', 'patients'];
export const PRIORITY_3: readonly TableName[] = ['write_conflicts', 'field_changes', 'rejections'];
export const SYNCED_TABLES: readonly TableName[] = [...PRIORITY_1, ...PRIORITY_3];

export const CLINICAL: readonly Role[] = ['doctor', 'nurse'];

export interface Reader {
  user: string;
  role: Role;
}

/** Whether the sync rules give `reader` this row (values as committed in Postgres). */
export function visibleTo(reader: Reader, table: TableName, values: Values): boolean {
  if (table === 'patients') return CLINICAL.includes(reader.role);
  if (table === 'write_conflicts') {
    return values.user_id === reader.user || (reader.role === 'reviewer' && values.status === 'open');
  }
  if (table === 'field_changes' || table === 'rejections') return values.user_id === reader.user;
  return true;
}

export function rowKey(table: string, id: string): string {
  return `${table}/${id}`;
}

const TIMESTAMP = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?(Z|[+-]\d\d(?::?\d\d)?)?$/;

/** A timestamp as microseconds since the epoch (a decimal string), or the input when not one. */
export function canonicalTimestamp(value: string): string {
  const m = TIMESTAMP.exec(value);
  if (!m) return value;
  const [, y, mo, d, h, mi, s, fraction = '', zone = 'Z'] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
  }
  const micros = BigInt(ms - offsetMinutes * 60_000) * 1000n + BigInt(fraction.padEnd(6, '0'));
  return micros.toString();
}

function canonicalJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as Values)
        .sort()
        .map((key) => [key, canonicalJson((value as Values)[key])]),
    );
  }
  return value;
}

export function canonicalValue(table: TableName, column: string, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  const kind = column === 'id' ? 'text' : columnSpec(schema.table(table), column)?.kind;
  switch (kind) {
    case 'timestamp':
      return canonicalTimestamp(String(value));
    case 'integer':
    case 'real':
      return Number(value);
    case 'json':
      return canonicalJson(typeof value === 'string' ? JSON.parse(value) : value);
    default:
      return String(value);
  }
}

/** The canonical text of a row: every column of the table, in schema order. */
export function fingerprint(table: TableName, values: Values): string {
  const columns = ['id', ...columnNames(schema.table(table))];
  return JSON.stringify(columns.map((column) => canonicalValue(table, column, values[column])));
}

/** A short, stable digest of a fingerprint (reads are kept as digests: many, small). */
export function digest(text: string): string {
  return createHash('sha1').update(text).digest('base64url').slice(0, 16);
}

/** The digest of a row's values as the reader would hold them. */
export function rowDigest(table: TableName, values: Values): string {
  return digest(fingerprint(table, values));
}
