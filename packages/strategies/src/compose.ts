import { ConflictCode, RejectionCode } from './codes.ts';
import { applied, type Conflicted, type Rejected, reject } from './decisions.ts';
import type { Strategy, TableContext } from './strategy.ts';
import type { Context, Decision, Operation, Row, Write } from './types.ts';

/**
 * A strategy in parts, run in this order after the common existence checks:
 * 1. detect   — optimistic concurrency: is the client's write based on the server's current row?
 * 2. the table's value rules (`checkValues` in the policy), for what a PUT or PATCH writes;
 * 3. validate — business rules and field permissions against the current row and the actor;
 * 4. write    — how an accepted operation changes the row (absolute values, deltas, per-field merge).
 */
export interface StrategyParts extends Omit<Strategy, 'decide'> {
  detect?(op: Operation, row: Row | null, ctx: Context): Conflicted | Rejected | null;
  validate?(op: Operation, row: Row | null, ctx: Context): Rejected | null;
  write(op: Operation, row: Row | null, ctx: Context): Decision;
  /** A PATCH with no data columns still means something (an explicit delta in metadata). */
  readonly acceptsEmptyPatch?: boolean;
}

const capitalized = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

export function compose(table: TableContext, parts: StrategyParts): Strategy {
  const { detect, validate, write, acceptsEmptyPatch, ...strategy } = parts;
  return {
    ...strategy,
    decide(op, rows, ctx) {
      const row = rows.get(op.table, op.id);
      if (op.op === 'PATCH' && row === null) {
        return reject(
          RejectionCode.RowNotFound,
          `${capitalized(table.label.one)} ${op.id} does not exist on the server (it may have been deleted).`,
        );
      }
      if (op.op === 'DELETE' && row === null) return applied(); // already gone: nothing to do
      if (op.op === 'PATCH' && Object.keys(op.data).length === 0 && !acceptsEmptyPatch) return applied();
      return (
        detect?.(op, row, ctx) ??
        (op.op === 'DELETE' ? null : table.checkValues(op.data)) ??
        validate?.(op, row, ctx) ??
        write(op, row, ctx)
      );
    },
  };
}

/**
 * The plain write: insert the new row, set the sent columns, or delete. `extra` adds server-decided
 * values (a bumped version, a computed total).
 */
export function absoluteWrite(
  table: TableContext,
  op: Operation,
  row: Row | null,
  ctx: Context,
  extra: Record<string, unknown> = {},
): Write {
  if (op.op === 'DELETE') return { table: op.table, id: op.id, effect: { kind: 'delete' } };
  if (row === null) {
    return { table: op.table, id: op.id, effect: { kind: 'insert', row: table.newRow(op.id, op.data, ctx, extra) } };
  }
  return {
    table: op.table,
    id: op.id,
    effect: { kind: 'update', set: { ...op.data, ...table.stamps('update', ctx), ...extra } },
  };
}

/** A PUT met a row that exists: recorded as a conflict, never written over it. */
export function existsConflict(table: TableContext, op: Operation, row: Row): Conflicted {
  return {
    outcome: 'conflict',
    code: ConflictCode.RowExists,
    message: `A ${table.label.one} with this id already exists on the server; your new one was not saved over it.`,
    conflict: { strategy: 'insert', clientValues: op.data, serverValues: row, baseValues: null },
  };
}

/** Checks, when a policy is defined, that a strategy's column is there and of the right kind. */
export function requireColumn(
  table: TableContext,
  strategy: string,
  column: string,
  want: { kinds: readonly string[]; origin?: 'client' | 'server'; cumulative?: boolean },
): void {
  const spec = table.definition.columns[column]?.spec;
  const problem = !spec
    ? 'it has no such column'
    : !want.kinds.includes(spec.kind)
      ? `it is ${spec.kind}, not ${want.kinds.join(' or ')}`
      : want.origin && spec.origin !== want.origin
        ? `it must be ${want.origin === 'server' ? 'serverOwned()' : 'client-owned'}`
        : want.cumulative && !spec.cumulative
          ? 'declare it .cumulative(), so uploads validate it as the result of a change'
          : null;
  if (problem) throw new Error(`${strategy}({ column: '${column}' }) on ${table.name}: ${problem}.`);
}
