import type { OrderStatus } from '@cr/schema';
import type { AbstractPowerSyncDatabase } from '@powersync/web';
import { updateStatement } from '../ui/changed-fields.ts';
import { newId } from '../ui/ids.ts';

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

/**
 * An order edit. No version check (strategy 4): the server judges it against its current order
 * and the signed-in role, and applies or refuses it with a reason.
 */
export async function updateOrder(
  db: AbstractPowerSyncDatabase,
  id: string,
  changes: { status?: OrderStatus; quantity?: number; price_cents?: number },
  userId: string,
): Promise<void> {
  if (Object.keys(changes).length === 0) return;
  const values = { ...changes, updated_by: userId, updated_at: new Date().toISOString() };
  await db.execute(...updateStatement('orders', values, id));
}

/** Euros as typed ("12.50", "12,5") → cents; null when it is not an amount. */
export function parseEuros(text: string): number | null {
  const value = Number(text.trim().replace(',', '.'));
  return text.trim() !== '' && Number.isFinite(value) && value >= 0 ? Math.round(value * 100) : null;
}
