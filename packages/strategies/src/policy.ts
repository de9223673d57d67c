import type { TableName } from '@cr/schema';
import { RejectionCode } from './codes.ts';
import { reject, type Strategy } from './compose.ts';
import { canWriteTable, TABLE_WRITERS } from './permissions.ts';
import { businessRulesStrategy } from './strategies/business-rules.ts';
import { changeTracking } from './strategies/change-tracking.ts';
import { conflictResolution, conflictTarget } from './strategies/conflict-resolution.ts';
import { deltaStrategy } from './strategies/delta.ts';
import { fieldLwwStrategy } from './strategies/field-lww.ts';
import { acknowledge, readOnly } from './strategies/housekeeping.ts';
import { singular, timestampStrategy } from './strategies/timestamp.ts';
import { versionStrategy } from './strategies/version.ts';
import type { Context, Decision, Operation, RowSource } from './types.ts';

/**
 * How each table is governed, in one place. Read a row as: "uploads to <table> go through
 * <strategy>; on a conflict, <onConflict>".
 */
export const POLICY = {
  tasks: { strategy: timestampStrategy, detects: 'timestamp', onConflict: 'record' },
  documents: { strategy: versionStrategy, detects: 'version', onConflict: 'record' },
  patients: { strategy: fieldLwwStrategy, detects: 'per-field timestamps', onConflict: 'merge, newest field wins' },
  orders: { strategy: businessRulesStrategy, detects: 'nothing (rules on the current row)', onConflict: 'reject' },
  inventory: { strategy: deltaStrategy, detects: 'nothing (deltas commute)', onConflict: 'reject below zero' },
  write_conflicts: {
    strategy: conflictResolution,
    detects: 'resolution on a stale row',
    onConflict: 'reject, refresh',
  },
  field_changes: { strategy: changeTracking, detects: 'nothing (the worker validates)', onConflict: 'fail the change' },
  rejections: { strategy: acknowledge, detects: 'nothing', onConflict: 'n/a' },
  users: { strategy: readOnly, detects: 'nothing', onConflict: 'n/a' },
} as const satisfies Record<TableName, { strategy: Strategy; detects: string; onConflict: string }>;

/**
 * Decides one operation: the role's right to write the table first, then the table's strategy.
 * Pure: everything it needs is in the operation, the loaded rows and the context.
 */
export function decide(op: Operation, rows: RowSource, ctx: Context): Decision {
  if (TABLE_WRITERS[op.table] !== undefined && !canWriteTable(ctx.user.role, op.table)) {
    return reject(RejectionCode.TableNotPermitted, `A ${ctx.user.role} cannot change ${op.table}.`);
  }
  // A row's identity must not make its rules forgettable: a deleted id never comes back, or a
  // delete and a re-creation would reset a locked price, a final status, a version history.
  if (op.op === 'PUT' && rows.get(op.table, op.id) === null && rows.deleted?.(op.table, op.id)) {
    return reject(
      RejectionCode.RowDeleted,
      `This ${singular(op.table).replace('_', ' ')} was deleted; its id cannot be used again. Create a new one instead.`,
    );
  }
  return POLICY[op.table].strategy.decide(op, rows, ctx);
}

/**
 * Rows an operation reads besides its own, which the adapter loads and locks before deciding:
 * a conflict resolution also writes the row the conflict is about.
 */
export function relatedRows(op: Operation, rows: RowSource): { table: TableName; id: string }[] {
  if (op.table !== 'write_conflicts') return [];
  const target = conflictTarget(rows.get('write_conflicts', op.id));
  return target ? [target] : [];
}
