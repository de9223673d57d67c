import type { AbstractPowerSyncDatabase } from '@powersync/web';
import { newId } from '../ui/ids.ts';

/** Why a sale or restock cannot be made from the stock seen here, or null when it can. */
export function checkStockMove(kind: 'sell' | 'restock', stock: number, amount: number, name: string): string | null {
  if (!Number.isInteger(amount) || amount <= 0) return 'Enter a whole number of 1 or more.';
  if (kind === 'sell' && amount > stock) return `Only ${stock} of ${name} in stock here; cannot sell ${amount}.`;
  return null;
}

/** Stock is never shown below zero, whatever a row in transit says. */
export function shownStock(quantity: number | null | undefined): number {
  return Math.max(0, quantity ?? 0);
}

/**
 * A sale or restock as a relative change (strategy 7): `quantity = quantity ± n` locally, with
 * the change stated in _metadata.delta. The upload carries the new quantity and the previous one
 * (trackPrevious), so the server applies the difference to its own stock: two clerks selling
 * offline are both counted, and a sale that would go below zero is refused there.
 */
export async function moveStock(
  db: AbstractPowerSyncDatabase,
  item: { id: string; name: string },
  kind: 'sell' | 'restock',
  amount: number,
  userId: string,
): Promise<string | null> {
  return db.writeTransaction(async (tx) => {
    const row = await tx.getOptional<{ quantity: number }>('SELECT quantity FROM inventory WHERE id = ?', [item.id]);
    const problem = checkStockMove(kind, row?.quantity ?? 0, amount, item.name);
    if (problem) return problem;
    const delta = kind === 'sell' ? -amount : amount;
    await tx.execute(
      'UPDATE inventory SET quantity = quantity + ?, _metadata = ?, updated_by = ?, updated_at = ? WHERE id = ?',
      [delta, JSON.stringify({ delta }), userId, new Date().toISOString(), item.id],
    );
    return null;
  });
}

export async function createProduct(
  db: AbstractPowerSyncDatabase,
  userId: string,
  product: { sku: string; name: string; quantity: number },
): Promise<void> {
  await db.execute(
    'INSERT INTO inventory (id, sku, name, quantity, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
    [newId(), product.sku, product.name, product.quantity, userId, new Date().toISOString()],
  );
}
