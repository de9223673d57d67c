import type { OrderStatus } from '@cr/schema';
import { RejectionCode } from '../codes.ts';
import { absoluteWrite, compose, type Rejected, reject } from '../compose.ts';
import { changedColumns } from '../rows.ts';
import {
  canChangeOrderPrice,
  DELETABLE_ORDER_STATUSES,
  LOCKED_ORDER_STATUSES,
  ORDER_TRANSITIONS,
} from '../rules/order-rules.ts';
import type { Context, Operation, Row } from '../types.ts';

/**
 * Strategy 4 — business-rule validation (orders).
 *
 * No concurrency detection: each edit is checked against the server's current order and the
 * signed-in user's role, and either applied or refused with a readable reason (recorded, synced
 * back to the user). The rules (rules/order-rules.ts) are shared with the web client, which
 * offers only the allowed next statuses.
 */
export const businessRulesStrategy = compose({
  name: 'business-rules',
  validate(op, row, ctx) {
    if (op.op === 'DELETE') return row === null ? null : checkDelete(row);
    if (row === null) return checkCreate(op);
    return checkUpdate(changedColumns(row, op.data), row, ctx);
  },
  write: (op, row, ctx) => ({ outcome: 'applied', writes: [absoluteWrite(op, row, ctx)] }),
});

function checkCreate(op: Operation): Rejected | null {
  if (op.data.status !== 'pending') {
    return reject(RejectionCode.InvalidTransition, `A new order starts as pending, not ${String(op.data.status)}.`);
  }
  return null;
}

function checkUpdate(changes: Record<string, unknown>, row: Row, ctx: Context): Rejected | null {
  const from = row.status as OrderStatus;
  const to = (changes.status ?? from) as OrderStatus;
  if (to !== from && !ORDER_TRANSITIONS[from].includes(to)) {
    const allowed = ORDER_TRANSITIONS[from];
    return reject(
      RejectionCode.InvalidTransition,
      `An order cannot go from ${from} to ${to}${allowed.length ? `; from ${from} it can go to ${allowed.join(' or ')}` : `; ${from} is final`}.`,
    );
  }
  const otherChanges = Object.keys(changes).filter((column) => column !== 'status');
  if (LOCKED_ORDER_STATUSES.includes(from) && otherChanges.length > 0) {
    return reject(
      RejectionCode.OrderLocked,
      `This order is ${from} and locked; ${otherChanges.join(', ')} can no longer be changed.`,
    );
  }
  if ('price_cents' in changes && !canChangeOrderPrice(ctx.user.role)) {
    return reject(RejectionCode.PriceRequiresManager, 'Only a manager can change the price of an order.');
  }
  return null;
}

function checkDelete(row: Row): Rejected | null {
  const status = row.status as OrderStatus;
  return DELETABLE_ORDER_STATUSES.includes(status)
    ? null
    : reject(RejectionCode.OrderLocked, `A ${status} order cannot be deleted.`);
}
