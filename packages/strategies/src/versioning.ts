import { normalizeTimestamp, type TableName } from '@cr/schema';
import { nextTimestamp } from './rows.ts';
import type { Context, Row } from './types.ts';

interface VersionToken {
  column: string;
  next: (row: Row, ctx: Context) => unknown;
  /** Whether two values are the same version (a timestamp may be spelled in several ways). */
  same: (a: unknown, b: unknown) => boolean;
}

const sameInstant = (a: unknown, b: unknown) =>
  typeof a === 'string' && typeof b === 'string' && normalizeTimestamp(a) !== null
    ? normalizeTimestamp(a) === normalizeTimestamp(b)
    : a === b;

/**
 * Tables with an optimistic-concurrency version, and how a server-side write (a conflict
 * resolution, a tracked field change) creates their next version, so that clients editing the
 * old version afterwards are detected as stale.
 */
export const VERSION_TOKENS: Partial<Record<TableName, VersionToken>> = {
  tasks: { column: 'modified_at', next: (row, ctx) => nextTimestamp(row.modified_at, ctx.now), same: sameInstant },
  documents: { column: 'version', next: (row) => (row.version as number) + 1, same: (a, b) => a === b },
};
