/** The demo's own refusal codes (its business rules), next to the engine's `RejectionCode`. */
export const DemoCode = {
  /** An order status change its life cycle does not allow. */
  InvalidTransition: 'INVALID_TRANSITION',
  /** A shipped, completed or cancelled order cannot change (or be deleted). */
  OrderLocked: 'ORDER_LOCKED',
  /** Only a manager changes prices. */
  PriceRequiresManager: 'PRICE_REQUIRES_MANAGER',
  /** A sale that would take the stock below zero. */
  InsufficientStock: 'INSUFFICIENT_STOCK',
} as const;
export type DemoCode = (typeof DemoCode)[keyof typeof DemoCode];
