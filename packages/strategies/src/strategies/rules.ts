import { absoluteWrite, compose } from '../compose.ts';
import type { Rejected } from '../decisions.ts';
import type { StrategyFactory, TableContext } from '../strategy.ts';
import type { Context, Operation, Row } from '../types.ts';

/**
 * The app's rules for one operation: the operation, the server's current row (null for a new
 * one), the signed-in user, and the table (its label, for messages). Return a refusal with a
 * stable code and a sentence, or null to accept.
 */
export type OperationRules = (op: Operation, row: Row | null, ctx: Context, table: TableContext) => Rejected | null;

/**
 * Strategy 4 — business-rule validation.
 *
 * No concurrency detection: each edit is checked against the server's current row and the
 * signed-in user's role (from the token, never from row data), and either applied or refused with
 * a readable reason (recorded, synced back to the user). Rules that hold for values alone, on
 * every path, go in the table's `checkValues` instead.
 */
export function rules(validate: OperationRules): StrategyFactory {
  return (table) =>
    compose(table, {
      name: 'business-rules',
      detects: 'nothing (rules on the current row)',
      onConflict: 'reject with a reason',
      validate: (op, row, ctx) => validate(op, row, ctx, table),
      write: (op, row, ctx) => ({ outcome: 'applied', writes: [absoluteWrite(table, op, row, ctx)] }),
    });
}
