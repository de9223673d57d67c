import { getTable, quote } from '@cr/schema';
import { RejectionCode } from '../codes.ts';
import { absoluteWrite, compose, type Rejected, reject } from '../compose.ts';
import type { Operation, Row } from '../types.ts';

export const DELTA_COLUMN = 'quantity';

/**
 * How much the client changed the quantity by, or a rejection when it cannot be known.
 *
 * A local `UPDATE inventory SET quantity = quantity - 3` uploads the NEW ABSOLUTE quantity, not -3.
 * The delta is therefore derived from the old value the client's change tracking sent along
 * (`trackPrevious: ['quantity']`): new − old. A client may instead state its intent explicitly in
 * `_metadata.delta`; when both are there they must agree. A bare number is never taken as a delta.
 */
export function deriveDelta(op: Operation): { delta: number } | Rejected | null {
  const intent = op.metadata?.delta;
  const next = op.data[DELTA_COLUMN];
  const before = op.previous?.[DELTA_COLUMN];
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
      'A quantity change must carry the quantity it was made on (trackPrevious) or an explicit _metadata.delta; ' +
        'the uploaded value alone is an absolute number, not a change.',
    );
  }
  return { delta: derived };
}

/**
 * Strategy 7 — cumulative (delta) operations (inventory).
 *
 * Quantity edits are applied as changes to the server's current stock (server + delta), so two
 * clerks who each sold from the same shelf while offline are both counted. A change that would
 * take the stock below zero is refused with the numbers in the message. Other columns (name, sku)
 * are plain values.
 */
export const deltaStrategy = compose({
  name: 'delta',
  acceptsEmptyPatch: true,
  detect(op, row) {
    if (op.op === 'PUT' && row !== null) {
      return reject(
        RejectionCode.RowExists,
        `A product with this id already exists; change its stock with a sale or a restock.`,
      );
    }
    return null;
  },
  validate(op, row) {
    if (op.op !== 'PATCH' || row === null) return null;
    const result = deriveDelta(op);
    if (result === null || 'outcome' in result) return result;
    return checkStock(row, result.delta);
  },
  write(op, row, ctx) {
    if (op.op !== 'PATCH' || row === null) return { outcome: 'applied', writes: [absoluteWrite(op, row, ctx)] };
    const result = deriveDelta(op);
    const { [DELTA_COLUMN]: _absolute, ...others } = op.data;
    const delta = result !== null && 'delta' in result ? result.delta : 0;
    if (delta === 0 && Object.keys(others).length === 0) return { outcome: 'applied', writes: [] };
    const quantity = (row[DELTA_COLUMN] as number) + delta;
    return {
      outcome: 'applied',
      writes: [absoluteWrite({ ...op, data: others }, row, ctx, { [DELTA_COLUMN]: quantity })],
    };
  },
});

/** The largest quantity the column stores (the uploaded value's bounds do not apply to a delta). */
const MAX_STOCK = getTable('inventory').columns[DELTA_COLUMN]?.spec.max ?? Number.MAX_SAFE_INTEGER;

/** The server's result must fit the column: never below zero, never above what it can store. */
function checkStock(row: Row, delta: number): Rejected | null {
  const stock = row[DELTA_COLUMN] as number;
  if (stock + delta < 0) {
    return reject(
      RejectionCode.InsufficientStock,
      `Only ${stock} of ${String(row.name)} in stock; cannot take ${-delta}.`,
    );
  }
  if (stock + delta > MAX_STOCK) {
    return reject(
      RejectionCode.InvalidValue,
      `${String(row.name)}: ${stock} in stock plus ${delta} is more than this server can count (${MAX_STOCK}).`,
    );
  }
  return null;
}
