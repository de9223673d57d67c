import type { Sql } from '../fixtures/sql.ts';
import { unique } from '../fixtures/sql.ts';
import { expect, test } from '../fixtures/test.ts';

/**
 * Every status an order row holds in Postgres, committed or not seen by anyone: a trigger of the
 * scenario's own (the table is not published, so clients never see it).
 */
async function recordStatusHistory(sql: Sql): Promise<void> {
  await sql.rows(`CREATE TABLE IF NOT EXISTS e2e_order_status_history (
    order_id uuid NOT NULL, status text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())`);
  await sql.rows(`CREATE OR REPLACE FUNCTION e2e_record_order_status() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN INSERT INTO e2e_order_status_history (order_id, status) VALUES (NEW.id, NEW.status); RETURN NEW; END $$`);
  await sql.rows(`CREATE OR REPLACE TRIGGER e2e_order_status_history AFTER INSERT OR UPDATE ON orders
    FOR EACH ROW EXECUTE FUNCTION e2e_record_order_status()`);
}

test('an offline status change that became illegal is refused with its reason, never stored', async ({
  openClient,
  sql,
}) => {
  await recordStatusHistory(sql);
  const customer = unique('Harbour Bakery');
  const orderId = await sql.insertOrder({ customer, priceCents: 2400 });
  const alice = await openClient('alice', 'orders');
  const bob = await openClient('bob', 'orders');
  // Only the allowed next statuses are offered.
  await expect(alice.card(orderId).getByRole('button')).toHaveText(['Start processing', 'Cancel order', 'Edit']);

  await alice.offline();
  await alice.card(orderId).getByTestId('order-move-processing').click();
  await expect(alice.card(orderId).getByTestId('order-status')).toHaveText('processing');
  await bob.card(orderId).getByTestId('order-move-cancelled').click();
  await bob.waitIdle();
  await expect
    .poll(async () => (await sql.one('SELECT status FROM orders WHERE id = $1', [orderId])).status)
    .toBe('cancelled');

  await alice.online();
  await alice.waitIdle();
  const refusal = alice.rejections({ rowId: orderId, code: 'INVALID_TRANSITION' });
  await expect(refusal).toContainText('An order cannot go from cancelled to processing');
  for (const client of [alice, bob]) {
    await expect(client.card(orderId).getByTestId('order-status')).toHaveText('cancelled');
    await expect(client.card(orderId).getByRole('button')).toHaveCount(0); // cancelled is final and locked
  }
  expect(
    await sql.rows('SELECT status FROM e2e_order_status_history WHERE order_id = $1 ORDER BY at', [orderId]),
  ).toEqual([{ status: 'pending' }, { status: 'cancelled' }]);
  expect(
    await sql.rows(
      `SELECT code, message FROM rejections WHERE user_id = 'alice' AND table_name = 'orders' AND row_id = $1`,
      [orderId],
    ),
  ).toEqual([{ code: 'INVALID_TRANSITION', message: expect.stringContaining('from cancelled to processing') }]);

  // Dismissed, the notice leaves the list (on every device of the user).
  await refusal.getByRole('button', { name: /Dismiss/ }).click();
  await expect(alice.rejections({ rowId: orderId, code: 'INVALID_TRANSITION' })).toHaveCount(0);
  await alice.waitIdle();
  await expect
    .poll(async () => (await sql.one('SELECT dismissed_at FROM rejections WHERE row_id = $1', [orderId])).dismissed_at)
    .not.toBeNull();
});

test('a clerk’s price change is refused, a manager’s is accepted', async ({ openClient, sql }) => {
  const customer = unique('Lakeside Hotel');
  const orderId = await sql.insertOrder({ customer, priceCents: 5000 });
  const alice = await openClient('alice', 'orders');
  const carol = await openClient('carol', 'orders');

  // The clerk is not offered the price; a client that sends one anyway (old or tampered) is refused.
  await alice.card(orderId).getByTestId('order-edit').click();
  await expect(alice.card(orderId).getByTestId('order-price-input')).toHaveCount(0);
  await expect(alice.card(orderId)).toContainText('Only a manager can change the price.');
  await alice.offline();
  await alice.page.evaluate(
    (id) => window.__cr?.execute('UPDATE orders SET price_cents = 100 WHERE id = ?', [id]),
    orderId,
  );
  await expect(alice.card(orderId).getByTestId('order-price')).toContainText('1.00');
  await alice.online();
  await alice.waitIdle();
  await expect(alice.rejections({ rowId: orderId, code: 'PRICE_REQUIRES_MANAGER' })).toContainText(
    'Only a manager can change the price',
  );
  await expect(alice.card(orderId).getByTestId('order-price')).toContainText('50.00');
  expect((await sql.one('SELECT price_cents FROM orders WHERE id = $1', [orderId])).price_cents).toBe(5000);

  // The manager changes it through the screen, offline first, and it is applied.
  await carol.offline();
  await carol.card(orderId).getByTestId('order-edit').click();
  await carol.card(orderId).getByTestId('order-price-input').fill('45.50');
  await carol.card(orderId).getByTestId('order-save').click();
  await carol.online();
  await carol.waitIdle();
  await expect(carol.rejections({ rowId: orderId })).toHaveCount(0);
  await expect
    .poll(async () => await sql.one('SELECT price_cents, updated_by FROM orders WHERE id = $1', [orderId]))
    .toEqual({ price_cents: 4550, updated_by: 'carol' });
  for (const client of [alice, carol]) {
    await expect(client.card(orderId).getByTestId('order-price')).toContainText('45.50');
  }
});
