import { unique } from '../fixtures/sql.ts';
import { expect, test } from '../fixtures/test.ts';

test('a conflict merged field by field keeps the chosen value of each field', async ({ openClient, sql }) => {
  const title = unique('Window display');
  const docId = await sql.insertDocument({ title, body: 'Autumn colours.' });
  const alice = await openClient('alice', 'documents');
  const bob = await openClient('bob', 'documents');

  await alice.offline();
  const aliceCard = alice.card(docId);
  await aliceCard.getByTestId('document-edit').click();
  await aliceCard.getByLabel('Title').fill(`${title} (Alice)`);
  await aliceCard.getByLabel('Text').fill('Winter colours.');
  await aliceCard.getByTestId('document-save').click();
  const bobCard = bob.card(docId);
  await bobCard.getByTestId('document-edit').click();
  await bobCard.getByLabel('Title').fill(`${title} (Bob)`);
  await bobCard.getByLabel('Text').fill('Autumn colours, with lanterns.');
  await bobCard.getByTestId('document-save').click();
  await bob.waitIdle();
  await alice.online();
  await alice.waitIdle();

  // Alice keeps her text and Bob's title.
  const conflict = await alice.conflictCard(docId);
  await conflict.getByTestId('conflict-merge').click();
  await conflict.getByTestId('merge-title-server').check();
  await conflict.getByTestId('merge-body-mine').check();
  await conflict.getByTestId('conflict-save-merge').click();
  await alice.waitIdle();

  for (const client of [alice, bob]) {
    await expect(client.card(docId).getByTestId('document-title')).toHaveText(`${title} (Bob)`);
    await expect(client.card(docId).getByTestId('document-body')).toHaveText('Winter colours.');
    await expect(client.card(docId).getByTestId('document-version')).toHaveText('v3');
  }
  expect(await sql.one('SELECT title, body, version FROM documents WHERE id = $1', [docId])).toEqual({
    title: `${title} (Bob)`,
    body: 'Winter colours.',
    version: 3,
  });
  expect(await sql.one('SELECT status, resolution FROM write_conflicts WHERE row_id = $1', [docId])).toEqual({
    status: 'resolved',
    resolution: 'merged',
  });
});

test('the “work offline” switch disconnects on purpose and reconnects', async ({ openClient, sql }) => {
  const alice = await openClient('alice');
  const status = alice.page.getByTestId('sync-status');
  await status.locator('summary').click();
  await alice.page.getByRole('switch', { name: 'Work offline' }).check();
  await alice.waitFor((s) => s.workOffline && !s.connected, 'working offline');
  await expect(alice.page.getByTestId('sync-state')).toHaveText('Working offline');

  const title = unique('Made while working offline');
  await alice.page.getByTestId('new-task-title').fill(title);
  await alice.page.getByTestId('new-task-add').click();
  await expect(alice.page.getByTestId('pending-uploads')).toHaveText('1');
  expect(await sql.rows('SELECT 1 FROM tasks WHERE title = $1', [title])).toHaveLength(0);

  // The network was there all along (the partition stays open): only the switch held the write back.
  expect(alice.proxy.isOnline).toBe(true);
  await alice.page.getByRole('switch', { name: 'Work offline' }).uncheck();
  await alice.waitIdle();
  await expect(alice.page.getByTestId('sync-state')).toHaveText('Online');
  await expect(alice.page.getByTestId('pending-uploads')).toHaveText('0');
  expect(await sql.rows('SELECT created_by FROM tasks WHERE title = $1', [title])).toEqual([{ created_by: 'alice' }]);
});
