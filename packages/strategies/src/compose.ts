import { RejectionCode } from './codes.ts';
import { auditStamps, newRow } from './rows.ts';
import type { Context, Decision, Operation, Row, RowSource, Write } from './types.ts';

export type Rejected = Extract<Decision, { outcome: 'rejected' }>;
export type Conflicted = Extract<Decision, { outcome: 'conflict' }>;

export const reject = (code: RejectionCode, message: string, writes: Write[] = []): Rejected => ({
  outcome: 'rejected',
  code,
  message,
  writes,
});

export const applied = (...writes: Write[]): Decision => ({ outcome: 'applied', writes });

/**
 * A strategy in three parts, run in this order after the common existence checks:
 * 1. detect   — optimistic concurrency: is the client's write based on the server's current row?
 * 2. validate — business rules and field permissions against the current row and the actor;
 * 3. write    — how an accepted operation changes the row (absolute values, deltas, per-field merge).
 */
export interface StrategyParts {
  readonly name: string;
  detect?(op: Operation, row: Row | null, ctx: Context): Conflicted | Rejected | null;
  validate?(op: Operation, row: Row | null, ctx: Context): Rejected | null;
  write(op: Operation, row: Row | null, ctx: Context): Decision;
  /** A PATCH with no data columns still means something (an explicit delta in metadata). */
  readonly acceptsEmptyPatch?: boolean;
}

export interface Strategy {
  readonly name: string;
  decide(op: Operation, rows: RowSource, ctx: Context): Decision;
}

export function compose(parts: StrategyParts): Strategy {
  return {
    name: parts.name,
    decide(op, rows, ctx) {
      const row = rows.get(op.table, op.id);
      if (op.op === 'PATCH' && row === null) {
        return reject(
          RejectionCode.RowNotFound,
          `${op.table} row ${op.id} does not exist on the server (it may have been deleted).`,
        );
      }
      if (op.op === 'DELETE' && row === null) return applied(); // already gone: nothing to do
      if (op.op === 'PATCH' && Object.keys(op.data).length === 0 && !parts.acceptsEmptyPatch) return applied();
      return parts.detect?.(op, row, ctx) ?? parts.validate?.(op, row, ctx) ?? parts.write(op, row, ctx);
    },
  };
}

/**
 * The plain write: insert the new row, set the sent columns, or delete. `extra` adds server-decided
 * values (a bumped version, a computed quantity).
 */
export function absoluteWrite(
  op: Operation,
  row: Row | null,
  ctx: Context,
  extra: Record<string, unknown> = {},
): Write {
  if (op.op === 'DELETE') return { table: op.table, id: op.id, effect: { kind: 'delete' } };
  if (row === null) {
    return {
      table: op.table,
      id: op.id,
      effect: { kind: 'insert', row: newRow(op.table, op.id, op.data, ctx, extra) },
    };
  }
  return {
    table: op.table,
    id: op.id,
    effect: { kind: 'update', set: { ...op.data, ...auditStamps(op.table, 'update', ctx), ...extra } },
  };
}
