import { quote } from '@cr/schema';
import { RejectionCode } from '../codes.ts';
import { absoluteWrite, compose, requireColumn } from '../compose.ts';
import { type Rejected, reject } from '../decisions.ts';
import type { StrategyFactory, TableContext } from '../strategy.ts';
import type { Operation, Row } from '../types.ts';

/**
 * How much the client changed `column` by, or a rejection when it cannot be known.
 *
 * A local `UPDATE t SET n = n - 3` uploads the NEW ABSOLUTE value, not -3. The delta is therefore
 * derived from the old value the client's change tracking sent along (`trackPrevious`): new − old.
 * A client may instead state its intent explicitly in `_metadata.delta`; when both are there they
 * must agree. A bare number is never taken as a delta.
 */
export function deriveDelta(op: Operation, column: string): { delta: number } | Rejected | null {
  const intent = op.metadata?.delta;
  const next = op.data[column];
  const before = op.previous?.[column];
  const derived =
    typeof next === 'number' && Number.isSafeInteger(before) && Number.isSafeInteger(next - (before as number))
      ? next - (before as number)
      : undefined;
  if (intent !== undefined) {
    if (typeof intent !== 'number' || !Number.isSafeInteger(intent)) {
      return reject(RejectionCode.InvalidMetadata, `_metadata.delta must be a whole number; got ${quote(intent)}.`);
    }
    if (derived !== undefined && derived !== intent) {
      return reject(
        RejectionCode.InconsistentDelta,
        `The stated change (${intent}) does not match the edit (${quote(before)} → ${quote(next)}).`,
      );
    }
    return { delta: intent };
  }
  if (next === undefined) return null;
  if (derived === undefined) {
    return reject(
      RejectionCode.MissingDeltaBase,
      `A ${column} change must carry the ${column} it was made on (trackPrevious) or an explicit _metadata.delta; ` +
        'the uploaded value alone is an absolute number, not a change.',
    );
  }
  return { delta: derived };
}

/** What a message about a change that would leave the bounds may say. */
export interface OutOfBounds {
  row: Row;
  /** The server's current value. */
  current: number;
  /** The change the client made. */
  change: number;
  /** The bound it would cross. */
  bound: number;
  table: TableContext;
}

export interface DeltaOptions {
  /** An integer column declared `.cumulative()`. */
  column: string;
  /** The lowest value the server's result may take (default: the column's `min`). */
  min?: number;
  /** The code and sentence of a change that would take the value below `min`. */
  belowMin?: { code?: string; message?: (problem: OutOfBounds) => string };
}

/**
 * Strategy 7 — cumulative (delta) operations.
 *
 * Changes of `column` are applied as changes to the server's current value (server + delta), so
 * two people who each took from the same count while offline are both counted. A change that
 * would take the value below `min` (or above what the column stores) is refused with the numbers
 * in the message. Other columns are plain values.
 */
export function delta(options: DeltaOptions): StrategyFactory {
  const { column } = options;
  return (table) => {
    requireColumn(table, 'delta', column, { kinds: ['integer'], origin: 'client', cumulative: true });
    const spec = table.definition.columns[column]?.spec;
    const min = options.min ?? spec?.min ?? Number.MIN_SAFE_INTEGER;
    const max = spec?.max ?? Number.MAX_SAFE_INTEGER;
    const belowCode = options.belowMin?.code ?? RejectionCode.BelowMinimum;
    const belowMessage =
      options.belowMin?.message ??
      ((p: OutOfBounds) => `Only ${p.current} left of ${p.table.describe(p.row)}; cannot take ${-p.change}.`);

    /** The server's result must fit the column: never below `min`, never above what it stores. */
    const checkBounds = (row: Row, change: number): Rejected | null => {
      const current = row[column] as number;
      if (current + change < min) {
        return reject(belowCode, belowMessage({ row, current, change, bound: min, table }));
      }
      if (current + change > max) {
        return reject(
          RejectionCode.InvalidValue,
          `${table.describe(row)}: ${current} plus ${change} is more than ${column} can hold (${max}).`,
        );
      }
      return null;
    };

    return compose(table, {
      name: 'delta',
      detects: 'nothing (deltas commute)',
      onConflict: `reject below ${min === Number.MIN_SAFE_INTEGER ? 'the minimum' : min}`,
      tracking: { trackPrevious: [column], trackMetadata: true },
      acceptsEmptyPatch: true,
      detect(op, row) {
        if (op.op === 'PUT' && row !== null) {
          return reject(
            RejectionCode.RowExists,
            `A ${table.label.one} with this id already exists; change its ${column} relative to what it is instead.`,
          );
        }
        return null;
      },
      validate(op, row) {
        if (op.op !== 'PATCH' || row === null) return null;
        const result = deriveDelta(op, column);
        if (result === null || 'outcome' in result) return result;
        return checkBounds(row, result.delta);
      },
      write(op, row, ctx) {
        if (op.op !== 'PATCH' || row === null) {
          return { outcome: 'applied', writes: [absoluteWrite(table, op, row, ctx)] };
        }
        const result = deriveDelta(op, column);
        const { [column]: _absolute, ...others } = op.data;
        const change = result !== null && 'delta' in result ? result.delta : 0;
        if (change === 0 && Object.keys(others).length === 0) return { outcome: 'applied', writes: [] };
        const value = (row[column] as number) + change;
        return {
          outcome: 'applied',
          writes: [absoluteWrite(table, { ...op, data: others }, row, ctx, { [column]: value })],
        };
      },
    });
  };
}
