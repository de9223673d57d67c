import { policy } from '@cr/demo-domain';
import { useQuery } from '@powersync/react';
import { RejectionList } from '../rejections/RejectionList.tsx';
import { useSession } from '../session/session-context.ts';
import { ReadOnlyNote } from '../ui/ReadOnlyNote.tsx';
import { StrategyNote } from '../ui/StrategyNote.tsx';
import { type Item, StockCard } from './StockCard.tsx';

/** Inventory: sales and restocks are deltas; stock never goes below zero. */
export function InventoryScreen() {
  const { user } = useSession();
  const { data: items } = useQuery<Item>('SELECT id, sku, name, quantity FROM inventory ORDER BY name, id');
  const canWrite = policy.canWrite(user.role, 'inventory');
  return (
    <>
      <StrategyNote title="Inventory" strategy="Cumulative deltas">
        A sale or a restock is sent as a change to the stock (“minus 3”), not as a new total, and the server adds it to
        its own count. So when two clerks each sell from a shelf of 10 while offline, 3 and 4, both sales count and
        everyone sees 3 once they are back. You cannot sell more than you see in stock here; and if others sold first,
        the server refuses a sale that would take the stock below zero, and the reason appears below. Stock is never
        shown negative.
      </StrategyNote>
      <RejectionList tables={['inventory']} />
      {!canWrite && <ReadOnlyNote role={user.role} what="the stock" />}
      <ul className="rows" aria-label="Stock">
        {items.map((item) => (
          <StockCard key={item.id} item={item} canWrite={canWrite} />
        ))}
      </ul>
    </>
  );
}
