import type { OrderStatus, Role } from '@cr/schema';

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

export function canChangeOrderPrice(role: Role): boolean {
  return PRICE_SETTERS.includes(role);
}
