import { normalizeTimestamp } from '@cr/schema';
import { nextTimestamp } from './row-values.ts';
import type { VersionToken } from './types.ts';

const sameInstant = (a: unknown, b: unknown) =>
  typeof a === 'string' && typeof b === 'string' && normalizeTimestamp(a) !== null
    ? normalizeTimestamp(a) === normalizeTimestamp(b)
    : a === b;

/** A timestamp version: the next one is strictly later than the row's and no earlier than now. */
export function timestampToken(column: string): VersionToken {
  return { column, next: (row, ctx) => nextTimestamp(row[column], ctx.now), same: sameInstant };
}

/** A sequence number: the next version is the row's plus one. */
export function counterToken(column: string): VersionToken {
  return { column, next: (row) => (row[column] as number) + 1, same: (a, b) => a === b };
}
