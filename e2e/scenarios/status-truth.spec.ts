import { unique } from '../fixtures/sql.ts';
import { expect, test } from '../fixtures/test.ts';

/**
 * The header tells apart: no network on the device, the "work offline" switch (and which tab
 * turned it on), and an upload the server keeps refusing. (A server that cannot be reached while
 * the network is up is in partition.spec.ts.)
 */
test('offline, working offline in another tab, and a failing upload are told apart', async ({ openClient, sql }) => {
  const alice = await openClient('alice');
  const state = alice.page.getByTestId('sync-state');

  // No network on the device (the browser says so): "Offline".
  await alice.page.context().setOffline(true);
  await expect(state).toHaveText('Offline');
  await alice.page.context().setOffline(false);
  await alice.waitIdle();
  await expect(state).toHaveText('Online');

  // A second tab of the same user turns "work offline" on: this tab says so, why, and how back.
  const second = await alice.openTab();
  await second.getByTestId('sync-status').locator('summary').click();
  await second.getByRole('switch', { name: 'Work offline' }).check();
  await expect(state).toHaveText('Working offline');
  const notice = alice.page.getByTestId('work-offline-notice');
  await expect(notice).toContainText('Turned on in another tab of yours');
  await expect(second.getByTestId('work-offline-notice')).toHaveCount(0);
  await alice.waitFor((s) => s.workOffline && !s.connected, 'offline by the other tab');
  await notice.getByTestId('work-offline-undo').click();
  await alice.waitIdle();
  await expect(state).toHaveText('Online');
  await expect(second.getByTestId('sync-state')).toHaveText('Online');
  await second.close();

  // The server answers but refuses the upload (503): "upload failing" with the reason; the row
  // is marked as not uploaded; once the server takes it, both go.
  alice.allowConsoleErrors(/503|DATABASE_UNAVAILABLE|database is unavailable/i);
  await alice.page.route('**/api/data', (route) =>
    route.fulfill({
      status: 503,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'DATABASE_UNAVAILABLE', message: 'The database is unavailable.' } }),
    }),
  );
  const title = unique('Waiting for the server');
  await alice.page.getByTestId('new-task-title').fill(title);
  await alice.page.getByTestId('new-task-add').click();
  await expect(alice.page.getByTestId('upload-failing')).toBeVisible();
  await expect(state).toHaveText('Online');
  const card = alice.page.getByTestId('task-card').filter({ hasText: title });
  await expect(card.getByTestId('row-pending')).toBeVisible();
  await alice.page.getByTestId('sync-status').locator('summary').click();
  await expect(alice.page.getByTestId('upload-problem')).toContainText('The database is unavailable.');
  await alice.page.unroute('**/api/data');
  await alice.waitIdle();
  await expect(alice.page.getByTestId('upload-failing')).toHaveCount(0);
  await expect(card.getByTestId('row-pending')).toHaveCount(0);
  expect(await sql.rows('SELECT created_by FROM tasks WHERE title = $1', [title])).toEqual([{ created_by: 'alice' }]);
});
