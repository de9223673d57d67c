import { changedColumns, type OperationRules, type Rejected, type Row, reject } from '@cr/strategies';
import { DemoCode } from '../codes.ts';
import type { OrderStatus, Role } from '../roles.ts';

/** The order life cycle. An order moves forward only; cancelled and completed are final. */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ['processing', 'cancelled'],
  processing: ['shipped', 'cancelled'],
  shipped: ['completed'],
  completed: [],
  cancelled: [],
};

/** Once shipped, nothing about an order changes except its completion. */
export const LOCKED_ORDER_STATUSES: readonly OrderStatus[] = ['shipped', 'completed', 'cancelled'];

/** Orders that may be deleted: those that never went anywhere. */
export const DELETABLE_ORDER_STATUSES: readonly OrderStatus[] = ['pending', 'cancelled'];

/** Price changes are a manager's decision, taken from the signed token, never from row data. */
export const PRICE_SETTERS: readonly Role[] = ['manager'];

export function nextOrderStatuses(status: OrderStatus): readonly OrderStatus[] {
  return ORDER_TRANSITIONS[status];
}

export function canChangeOrderPrice(role: string): boolean {
  return PRICE_SETTERS.includes(role as Role);
}

/**
 * Strategy 4's rules for orders (`rules(orderRules)` in the policy): each edit is checked against
 * the server's current order and the signed-in user's role. The web client imports the same
 * tables above, so it offers only the allowed next statuses.
 */
export const orderRules: OperationRules = (op, row, ctx) => {
  if (op.op === 'DELETE') return row === null ? null : checkDelete(row);
  if (row === null) return checkCreate(op.data);
  return checkUpdate(changedColumns(row, op.data), row, ctx.user.role);
};

function checkCreate(data: Record<string, unknown>): Rejected | null {
  if (data.status !== 'pending') {
    return reject(DemoCode.InvalidTransition, `A new order starts as pending, not ${String(data.status)}.`);
  }
  return null;
}

function checkUpdate(changes: Record<string, unknown>, row: Row, role: string): Rejected | null {
  const from = row.status as OrderStatus;
  const to = (changes.status ?? from) as OrderStatus;
  if (to !== from && !ORDER_TRANSITIONS[from].includes(to)) {
    const allowed = ORDER_TRANSITIONS[from];
    return reject(
      DemoCode.InvalidTransition,
      `An order cannot go from ${from} to ${to}${allowed.length ? `; from ${from} it can go to ${allowed.join(' or ')}` : `; ${from} is final`}.`,
    );
  }
  const otherChanges = Object.keys(changes).filter((column) => column !== 'status');
  if (LOCKED_ORDER_STATUSES.includes(from) && otherChanges.length > 0) {
    return reject(
      DemoCode.OrderLocked,
      `This order is ${from} and locked; ${otherChanges.join(', ')} can no longer be changed.`,
    );
  }
  if ('price_cents' in changes && !canChangeOrderPrice(role)) {
    return reject(DemoCode.PriceRequiresManager, 'Only a manager can change the price of an order.');
  }
  return null;
}

function checkDelete(row: Row): Rejected | null {
  const status = row.status as OrderStatus;
  return DELETABLE_ORDER_STATUSES.includes(status)
    ? null
    : reject(DemoCode.OrderLocked, `A ${status} order cannot be deleted.`);
}
