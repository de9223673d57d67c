import type { Client } from '../fixtures/client.ts';
import { unique } from '../fixtures/sql.ts';
import { expect, test } from '../fixtures/test.ts';

async function quickEditTitle(client: Client, taskId: string, title: string): Promise<void> {
  const card = client.card(taskId);
  await card.getByTestId('task-quick-edit').click();
  await card.getByLabel('Title').fill(title);
  await card.getByTestId('task-quick-save').click();
  await expect(card.getByTestId('task-title')).toHaveText(title);
}

test('a stale offline task edit becomes a conflict; the reviewer keeps the offline version everywhere', async ({
  openClient,
  sql,
}) => {
  const original = unique('Label the shelves');
  const taskId = await sql.insertTask({ title: original });
  const alice = await openClient('alice');
  const bob = await openClient('bob');
  const rita = await openClient('rita');
  for (const client of [alice, bob, rita]) await expect(client.card(taskId)).toContainText(original);

  // Alice edits while offline, on the version she last saw.
  await alice.offline();
  const offlineTitle = `${original} (Alice, offline)`;
  await quickEditTitle(alice, taskId, offlineTitle);
  // Meanwhile Bob, online, changes the same task.
  const bobTitle = `${original} (Bob)`;
  await quickEditTitle(bob, taskId, bobTitle);
  await bob.waitIdle();
  await expect
    .poll(async () => (await sql.one('SELECT title FROM tasks WHERE id = $1', [taskId])).title)
    .toBe(bobTitle);

  // Back online, Alice's edit is stale: not applied, recorded as her conflict.
  await alice.online();
  await alice.waitIdle();
  const aliceConflict = await alice.conflictCard(taskId);
  await expect(aliceConflict).toContainText('STALE_WRITE');
  await expect(aliceConflict.locator('[data-testid="conflict-field"][data-field="title"]')).toHaveAttribute(
    'data-differs',
    'true',
  );
  await expect(aliceConflict.locator('[data-field="title"]')).toContainText(offlineTitle);
  await expect(aliceConflict.locator('[data-field="title"]')).toContainText(bobTitle);
  await expect(alice.card(taskId).getByTestId('task-title')).toHaveText(bobTitle);
  expect((await sql.one('SELECT title FROM tasks WHERE id = $1', [taskId])).title).toBe(bobTitle);

  // The reviewer keeps the author's (offline) version.
  const ritaConflict = await rita.conflictCard(taskId);
  await expect(ritaConflict.getByTestId('conflict-keep-mine')).toHaveText('Keep Alice Adams’s version');
  await ritaConflict.getByTestId('conflict-keep-mine').click();
  await rita.waitIdle();

  for (const client of [alice, bob, rita]) {
    await expect(client.card(taskId).getByTestId('task-title')).toHaveText(offlineTitle);
  }
  await expect(
    alice.page.locator(`[data-testid="conflict-card"][data-row-id="${taskId}"]:not([data-ended])`),
  ).toHaveCount(0);
  await expect(ritaConflict).toHaveAttribute('data-ended', 'mine');
  // Alice learns how her conflict ended, by name.
  const outcome = alice.page.locator(`[data-testid="conflict-outcome"][data-row-id="${taskId}"]`);
  await expect(outcome).toContainText('Rita Ruiz kept your version');
  await outcome.getByTestId('conflict-outcome-ok').click();
  await expect(outcome).toHaveCount(0);
  expect(await sql.one('SELECT title, modified_by FROM tasks WHERE id = $1', [taskId])).toEqual({
    title: offlineTitle,
    modified_by: 'rita',
  });
  expect(
    await sql.rows(
      `SELECT user_id, code, status, resolution, resolved_by FROM write_conflicts WHERE table_name = 'tasks' AND row_id = $1`,
      [taskId],
    ),
  ).toEqual([{ user_id: 'alice', code: 'STALE_WRITE', status: 'resolved', resolution: 'mine', resolved_by: 'rita' }]);
});
