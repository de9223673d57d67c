import type { RowHistory } from '../observer.ts';
import type { Violation } from './violation.ts';

export interface OrdersInput {
  rows: Iterable<RowHistory>;
  /** Cut at which the workload started (earlier versions are the seed). */
  startSeq: number;
  /** A user's role. */
  roleOf: (user: string) => string | undefined;
}

/** The business rules, restated here on their own (packages/strategies/docs/4-business-rules.md). */
const NEXT: Record<string, readonly string[]> = {
  pending: ['processing', 'cancelled'],
  processing: ['shipped', 'cancelled'],
  shipped: ['completed'],
  completed: [],
  cancelled: [],
};
const LOCKED = ['shipped', 'completed', 'cancelled'];

/** Statuses reachable from `from` in legal steps (one upload may take several in one transaction). */
function reachable(from: string): Set<string> {
  const seen = new Set([from]);
  for (const status of seen) for (const next of NEXT[status] ?? []) seen.add(next);
  return seen;
}
const DELETABLE = ['pending', 'cancelled'];
const CONTENT = ['customer', 'product_id', 'quantity', 'price_cents'];

/**
 * Every order's committed history is legal: a new order starts pending; the status only moves
 * along pending → processing → shipped → completed (or to cancelled from pending or processing) —
 * one committed version may be several steps on, when one upload made them in one transaction; a
 * shipped, completed or cancelled order keeps its contents; a price changes only by a manager;
 * only pending or cancelled orders are deleted.
 */
export function checkOrders(input: OrdersInput): { violations: Violation[]; orders: number } {
  const violations: Violation[] = [];
  let orders = 0;
  for (const history of input.rows) {
    if (history.table !== 'orders') continue;
    orders += 1;
    let previous: Record<string, unknown> | null = null;
    for (const version of history.versions) {
      const current = version.values;
      const where = `order ${history.id} at cut ${version.seq}`;
      if (version.seq > input.startSeq) {
        if (previous === null && current !== null && !reachable('pending').has(String(current.status))) {
          violations.push({ checker: 'order rules', message: `${where} was created ${String(current.status)}` });
        }
        if (previous !== null && current === null && !DELETABLE.includes(String(previous.status))) {
          violations.push({ checker: 'order rules', message: `${where} was deleted while ${String(previous.status)}` });
        }
        if (previous !== null && current !== null) {
          const from = String(previous.status);
          const to = String(current.status);
          if (!reachable(from).has(to)) {
            violations.push({ checker: 'order rules', message: `${where} went from ${from} to ${to}` });
          }
          const changed = CONTENT.filter((column) => previous?.[column] !== current[column]);
          if (LOCKED.includes(from) && changed.length > 0) {
            violations.push({
              checker: 'order rules',
              message: `${where} changed ${changed.join(', ')} while ${from}`,
            });
          }
          const setter = String(current.updated_by);
          if (changed.includes('price_cents') && input.roleOf(setter) !== 'manager') {
            violations.push({
              checker: 'order rules',
              message: `${where}: price changed by ${setter} (${input.roleOf(setter) ?? 'unknown role'})`,
            });
          }
        }
      }
      previous = current;
    }
  }
  return { violations, orders };
}
