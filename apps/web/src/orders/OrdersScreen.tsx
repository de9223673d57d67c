import { policy } from '@cr/demo-domain';
import { useQuery } from '@powersync/react';
import { RejectionList } from '../rejections/RejectionList.tsx';
import { useSession } from '../session/session-context.ts';
import { ReadOnlyNote } from '../ui/ReadOnlyNote.tsx';
import { StrategyNote } from '../ui/StrategyNote.tsx';
import { NewOrderForm } from './NewOrderForm.tsx';
import { type Order, OrderCard } from './OrderCard.tsx';

/** Orders: business rules; a refused change comes back with its reason. */
export function OrdersScreen() {
  const { user } = useSession();
  const { data: orders } = useQuery<Order>(
    `SELECT orders.id, customer, product_id, orders.quantity, price_cents, status, orders.updated_by,
            inventory.name AS product_name
       FROM orders LEFT JOIN inventory ON inventory.id = orders.product_id
      ORDER BY orders.created_at DESC, orders.id`,
  );
  const canWrite = policy.canWrite(user.role, 'orders');
  return (
    <>
      <StrategyNote title="Orders" strategy="Business rules">
        Orders are not versioned; the server judges each change against the order as it is now and your role. An order
        moves pending → processing → shipped → completed, or is cancelled before it ships; shipped, completed and
        cancelled orders are locked; only a manager changes prices (the price is for the whole order). This screen
        offers only what the rules allow, but an edit made offline can become illegal before it arrives (someone shipped
        the order meanwhile): the server then refuses it, the reason appears below, and the order shows the server’s
        state again.
      </StrategyNote>
      <RejectionList tables={['orders']} />
      {canWrite ? <NewOrderForm /> : <ReadOnlyNote role={user.role} what="orders" />}
      <ul className="rows" aria-label="Orders">
        {orders.map((order) => (
          <OrderCard key={order.id} order={order} canWrite={canWrite} />
        ))}
      </ul>
    </>
  );
}
