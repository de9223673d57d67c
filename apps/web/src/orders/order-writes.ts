import type { AbstractPowerSyncDatabase } from '@powersync/web';
import { newId } from '../ui/ids.ts';

/** A new order, pending (edits go through edits/write-edit.ts). */
export async function createOrder(
  db: AbstractPowerSyncDatabase,
  userId: string,
  order: { customer: string; product_id: string | null; quantity: number; price_cents: number },
): Promise<void> {
  const now = new Date().toISOString();
  await db.execute(
    `INSERT INTO orders (id, customer, product_id, quantity, price_cents, status, created_by, created_at, updated_by, updated_at)
     VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)`,
    [newId(), order.customer, order.product_id, order.quantity, order.price_cents, userId, now, userId, now],
  );
}

/** Euros as typed ("12.50", "12,5") → cents; null when it is not an amount. */
export function parseEuros(text: string): number | null {
  const value = Number(text.trim().replace(',', '.'));
  return text.trim() !== '' && Number.isFinite(value) && value >= 0 ? Math.round(value * 100) : null;
}
