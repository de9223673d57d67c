import type { OrderRow, OrderStatus } from '@cr/demo-domain';
import { LOCKED_ORDER_STATUSES, nextOrderStatuses } from '@cr/demo-domain';
import { useState } from 'react';
import { useGuardedAction } from '../edits/use-guarded-action.ts';
import { saveEdit } from '../edits/write-edit.ts';
import { useSession } from '../session/session-context.ts';
import { PendingMark } from '../sync-status/PendingMark.tsx';
import { formatCents } from '../ui/format.ts';
import { OrderEditForm } from './OrderEditForm.tsx';

export type Order = Pick<OrderRow, 'id' | 'customer' | 'product_id' | 'quantity' | 'price_cents' | 'status'> & {
  product_name: string | null;
  updated_by: string | null;
};

const MOVE_LABELS: Record<OrderStatus, string> = {
  pending: 'Back to pending',
  processing: 'Start processing',
  shipped: 'Mark shipped',
  completed: 'Mark completed',
  cancelled: 'Cancel order',
};

/** "€48.00 total · €4.00 each": the price of an order is for the whole order. */
function PriceLine(props: { order: Order }) {
  const { quantity, price_cents: total } = props.order;
  return (
    <>
      <span data-testid="order-price">{formatCents(total)}</span> total
      {quantity > 1 && <span className="hint"> ({formatCents(Math.round(total / quantity))} each)</span>}
    </>
  );
}

/**
 * One order: only the allowed next statuses are offered; shipped and later orders are locked.
 * While the edit form is open the status buttons are put away (no "Cancel order" next to the
 * form's own buttons), and a move is one action however often it is clicked.
 */
export function OrderCard(props: { order: Order; canWrite: boolean }) {
  const { db, user } = useSession();
  const { order } = props;
  const [editing, setEditing] = useState(false);
  const locked = LOCKED_ORDER_STATUSES.includes(order.status);
  const moves = props.canWrite && !editing ? nextOrderStatuses(order.status) : [];
  // Any move right after a move is a double-click: the next status's button appears under the pointer.
  const move = useGuardedAction(
    (status: OrderStatus) => saveEdit(db, 'orders', order, { status }, { user, now: new Date().toISOString() }),
    { keyOf: () => 'move' },
  );

  return (
    <li className="row-card" data-testid="order-card" data-row-id={order.id}>
      <div className="row-main">
        <p className="row-title">
          <span>{order.customer}</span>
          <span className={`status status-${order.status}`} data-testid="order-status">
            {order.status}
          </span>
          {locked && (
            <span className="chip" title="Shipped, completed and cancelled orders cannot be edited">
              locked
            </span>
          )}
          <PendingMark table="orders" id={order.id} />
        </p>
        <p className="meta">
          <span>
            <span data-testid="order-quantity">{order.quantity}</span> × {order.product_name ?? 'product'}
          </span>
          <span aria-hidden="true">·</span>
          <span>
            <PriceLine order={order} />
          </span>
        </p>
      </div>
      {(moves.length > 0 || (props.canWrite && !locked && !editing)) && (
        <div className="row-actions">
          {moves.map((status) => (
            <button
              key={status}
              type="button"
              className={status === 'cancelled' ? 'danger' : undefined}
              disabled={move.busy}
              onClick={() => move.run(status)}
              data-testid={`order-move-${status}`}
            >
              {MOVE_LABELS[status]}
            </button>
          ))}
          {props.canWrite && !locked && !editing && (
            <button type="button" onClick={() => setEditing(true)} data-testid="order-edit">
              Edit
            </button>
          )}
        </div>
      )}
      {editing && <OrderEditForm order={order} onDone={() => setEditing(false)} />}
    </li>
  );
}
