import { unique } from '../fixtures/sql.ts';
import { expect, test } from '../fixtures/test.ts';

test('a reload while offline keeps pending writes; back online they are uploaded exactly once', async ({
  openClient,
  sql,
}) => {
  const name = unique('Paper bags');
  const itemId = await sql.insertStock({ name, quantity: 20 });
  const alice = await openClient('alice', 'inventory');
  // The app itself must be cached to start without a network.
  await alice.waitFor((s) => s.offlineReady, 'app cached for offline use');
  const card = alice.card(itemId);
  await expect(card.getByTestId('stock-quantity')).toHaveText('20');

  await alice.offline();
  await card.getByTestId('sell-amount').fill('2');
  await card.getByTestId('sell-submit').click();
  await alice.goto('tasks');
  const title = unique('Written before the reload');
  await alice.page.getByTestId('new-task-title').fill(title);
  await alice.page.getByTestId('new-task-add').click();
  await expect(alice.page.getByTestId('pending-chip')).toHaveText('2 pending');

  await alice.page.reload();
  await expect(alice.page.getByTestId('current-user')).toContainText('Alice');
  await expect(alice.page.getByText(title)).toBeVisible();
  await expect(alice.page.getByTestId('pending-chip')).toHaveText('2 pending');
  await alice.goto('inventory');
  await expect(alice.card(itemId).getByTestId('stock-quantity')).toHaveText('18');
  expect(await sql.rows('SELECT 1 FROM tasks WHERE title = $1', [title])).toHaveLength(0);

  await alice.online();
  await alice.waitIdle();
  await expect(alice.page.getByTestId('pending-chip')).toHaveCount(0);
  await expect(alice.card(itemId).getByTestId('stock-quantity')).toHaveText('18');
  expect((await sql.one('SELECT quantity FROM inventory WHERE id = $1', [itemId])).quantity).toBe(18);
  expect(await sql.rows('SELECT created_by FROM tasks WHERE title = $1', [title])).toEqual([{ created_by: 'alice' }]);
  // One ledger entry per operation: each was applied once.
  const taskId = (await sql.one<{ id: string }>('SELECT id FROM tasks WHERE title = $1', [title])).id;
  expect(
    await sql.rows(`SELECT table_name, status FROM applied_operations WHERE row_id = ANY($1) ORDER BY table_name`, [
      [itemId, taskId],
    ]),
  ).toEqual([
    { table_name: 'inventory', status: 'applied' },
    { table_name: 'tasks', status: 'applied' },
  ]);
});
