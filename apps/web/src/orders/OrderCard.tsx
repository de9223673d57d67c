import type { OrderRow, OrderStatus } from '@cr/schema';
import { canChangeOrderPrice, LOCKED_ORDER_STATUSES, nextOrderStatuses } from '@cr/strategies';
import { type FormEvent, useState } from 'react';
import { useSession } from '../session/session-context.ts';
import { formatCents } from '../ui/format.ts';
import { SaveCancel } from '../ui/SaveCancel.tsx';
import { parseEuros, updateOrder } from './order-writes.ts';

export type Order = Pick<OrderRow, 'id' | 'customer' | 'product_id' | 'quantity' | 'price_cents' | 'status'> & {
  product_name: string | null;
};

const MOVE_LABELS: Record<OrderStatus, string> = {
  pending: 'Back to pending',
  processing: 'Start processing',
  shipped: 'Mark shipped',
  completed: 'Mark completed',
  cancelled: 'Cancel order',
};

function OrderEditForm(props: { order: Order; onDone: () => void }) {
  const { db, user } = useSession();
  const { order } = props;
  const [quantity, setQuantity] = useState(String(order.quantity));
  const [price, setPrice] = useState((order.price_cents / 100).toFixed(2));
  const [problem, setProblem] = useState<string | null>(null);
  const priceAllowed = canChangeOrderPrice(user.role);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const nextQuantity = Number(quantity);
    const cents = parseEuros(price);
    if (!Number.isInteger(nextQuantity) || nextQuantity < 0) return setProblem('The quantity must be 0 or more.');
    if (priceAllowed && cents === null) return setProblem('The price must be an amount of 0 or more.');
    const changes: { quantity?: number; price_cents?: number } = {};
    if (nextQuantity !== order.quantity) changes.quantity = nextQuantity;
    if (priceAllowed && cents !== null && cents !== order.price_cents) changes.price_cents = cents;
    await updateOrder(db, order.id, changes, user.id);
    props.onDone();
  };

  return (
    <form className="inline-form" onSubmit={(event) => void save(event)} noValidate>
      <label>
        Quantity
        <input inputMode="numeric" value={quantity} onChange={(event) => setQuantity(event.target.value)} />
      </label>
      {priceAllowed ? (
        <label>
          Price (€)
          <input
            inputMode="decimal"
            value={price}
            onChange={(event) => setPrice(event.target.value)}
            data-testid="order-price-input"
          />
        </label>
      ) : (
        <p className="hint">Only a manager can change the price.</p>
      )}
      {problem && (
        <p className="reason" role="alert">
          {problem}
        </p>
      )}
      <SaveCancel onCancel={props.onDone} saveTestId="order-save" />
    </form>
  );
}

/** One order: only the allowed next statuses are offered; shipped and later orders are locked. */
export function OrderCard(props: { order: Order; canWrite: boolean }) {
  const { db, user } = useSession();
  const { order } = props;
  const [editing, setEditing] = useState(false);
  const locked = LOCKED_ORDER_STATUSES.includes(order.status);
  const moves = props.canWrite ? nextOrderStatuses(order.status) : [];

  return (
    <li className="row-card" data-testid="order-card" data-row-id={order.id}>
      <div className="row-main">
        <p className="row-title">
          {order.customer}
          <span className={`status status-${order.status}`} data-testid="order-status">
            {order.status}
          </span>
          {locked && (
            <span className="chip" title="Shipped, completed and cancelled orders cannot be edited">
              locked
            </span>
          )}
        </p>
        <p className="meta">
          <span data-testid="order-quantity">{order.quantity}</span> × {order.product_name ?? 'product'} ·{' '}
          <span data-testid="order-price">{formatCents(order.price_cents)}</span>
        </p>
      </div>
      <div className="row-actions">
        {moves.map((status) => (
          <button
            key={status}
            type="button"
            onClick={() => void updateOrder(db, order.id, { status }, user.id)}
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
      {editing && <OrderEditForm order={order} onDone={() => setEditing(false)} />}
    </li>
  );
}
