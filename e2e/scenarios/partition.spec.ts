import { unique } from '../fixtures/sql.ts';
import { expect, test } from '../fixtures/test.ts';

/**
 * The property Playwright's context.setOffline(true) lacks for this client (its open sync stream
 * keeps delivering): behind its partition proxy, an offline client receives nothing from the
 * server and uploads nothing, and converges once the link is back.
 */
test('a partitioned client receives nothing and keeps its write pending until the link is back', async ({
  openClient,
  sql,
}) => {
  const alice = await openClient('alice');
  const bob = await openClient('bob'); // stays online: the witness that the server change went out

  await alice.offline();
  const serverTitle = unique('Written on the server');
  const serverTaskId = await sql.insertTask({ title: serverTitle });
  const localTitle = unique('Written offline');
  await alice.page.getByTestId('new-task-title').fill(localTitle);
  await alice.page.getByTestId('new-task-add').click();

  // Bob, connected, gets the server's row: it has been streamed to every connected client.
  await expect(bob.card(serverTaskId)).toBeVisible();
  await bob.waitIdle();
  // Alice got nothing, and her own write waits in her upload queue, not in Postgres.
  await expect(alice.card(serverTaskId)).toHaveCount(0);
  await expect(alice.page.getByText(localTitle)).toBeVisible();
  await expect(alice.page.getByTestId('pending-chip')).toHaveText('1 pending');
  // The row says its edit is not uploaded yet; the header says why: the network is up (the
  // browser is online), the server is not reachable.
  const localCard = alice.page.getByTestId('task-card').filter({ hasText: localTitle });
  await expect(localCard.getByTestId('row-pending')).toBeVisible();
  await expect(alice.page.getByTestId('sync-state')).toHaveText('Server unreachable');
  expect(await sql.rows('SELECT 1 FROM tasks WHERE title = $1', [localTitle])).toHaveLength(0);
  expect(alice.proxy.stats().accepted).toBeGreaterThan(0);

  await alice.online();
  await alice.waitIdle();
  await expect(alice.card(serverTaskId)).toContainText(serverTitle);
  await expect(alice.page.getByTestId('pending-chip')).toHaveCount(0);
  await expect(localCard.getByTestId('row-pending')).toHaveCount(0);
  await expect(alice.page.getByTestId('sync-state')).toHaveText('Online');
  await expect(bob.page.getByText(localTitle)).toBeVisible();
  expect(await sql.rows('SELECT created_by FROM tasks WHERE title = $1', [localTitle])).toEqual([
    { created_by: 'alice' },
  ]);
});
