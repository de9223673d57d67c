import type { Client } from '../fixtures/client.ts';
import { unique } from '../fixtures/sql.ts';
import { expect, test } from '../fixtures/test.ts';

async function sell(client: Client, itemId: string, amount: number): Promise<void> {
  const card = client.card(itemId);
  await card.getByTestId('sell-amount').fill(String(amount));
  await card.getByTestId('sell-submit').click();
}

test('two offline clerks selling 3 and 4 of 10 both count; an oversell is refused, never negative', async ({
  openClient,
  sql,
}) => {
  const name = unique('Green mug');
  const itemId = await sql.insertStock({ name, quantity: 10 });
  const alice = await openClient('alice', 'inventory');
  const bob = await openClient('bob', 'inventory');
  const stock = (client: Client) => client.card(itemId).getByTestId('stock-quantity');
  const serverStock = async () => (await sql.one('SELECT quantity FROM inventory WHERE id = $1', [itemId])).quantity;

  await alice.offline();
  await bob.offline();
  await sell(alice, itemId, 3);
  await sell(bob, itemId, 4);
  await expect(stock(alice)).toHaveText('7');
  await expect(stock(bob)).toHaveText('6');
  await alice.online();
  await bob.online();
  await alice.waitIdle();
  await bob.waitIdle();
  for (const client of [alice, bob]) await expect(stock(client)).toHaveText('3');
  expect(await serverStock()).toBe(3);

  // Both sell again offline; together more than the 3 left.
  await alice.offline();
  await bob.offline();
  await sell(alice, itemId, 3);
  await sell(bob, itemId, 2);
  await expect(stock(alice)).toHaveText('0');
  await expect(stock(bob)).toHaveText('1');
  // More than the stock seen here is refused on the spot, and nothing is queued.
  await sell(bob, itemId, 5);
  await expect(bob.card(itemId).getByTestId('sell-problem')).toHaveText(
    `Only 1 of ${name} in stock here; cannot sell 5.`,
  );
  expect((await bob.snapshot())?.pendingUploads).toBe(1);

  await alice.online();
  await alice.waitIdle();
  expect(await serverStock()).toBe(0);
  await bob.online();
  await bob.waitIdle();
  await expect(bob.rejections({ rowId: itemId, code: 'INSUFFICIENT_STOCK' })).toContainText(`of ${name} in stock`);
  for (const client of [alice, bob]) await expect(stock(client)).toHaveText('0');
  expect(await serverStock()).toBe(0);
  expect(
    await sql.rows(`SELECT user_id, code FROM rejections WHERE table_name = 'inventory' AND row_id = $1`, [itemId]),
  ).toEqual([{ user_id: 'bob', code: 'INSUFFICIENT_STOCK' }]);
});
