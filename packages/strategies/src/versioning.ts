import type { TableName } from '@cr/schema';
import { nextTimestamp } from './rows.ts';
import type { Context, Row } from './types.ts';

/**
 * Tables with an optimistic-concurrency version, and how a server-side write (a conflict
 * resolution, a tracked field change) creates their next version, so that clients editing the
 * old version afterwards are detected as stale.
 */
export const VERSION_TOKENS: Partial<Record<TableName, { column: string; next: (row: Row, ctx: Context) => unknown }>> =
  {
    tasks: { column: 'modified_at', next: (row, ctx) => nextTimestamp(row.modified_at, ctx.now) },
    documents: { column: 'version', next: (row) => (row.version as number) + 1 },
  };
