import { unique } from '../fixtures/sql.ts';
import { expect, test } from '../fixtures/test.ts';

test('a conflict is visible only to its owner and to reviewers', async ({ openClient, sql }) => {
  const title = unique('Staff rota');
  const docId = await sql.insertDocument({ title, body: 'Mon: Alice' });
  const alice = await openClient('alice', 'documents');
  const bob = await openClient('bob', 'documents');
  const rita = await openClient('rita', 'documents');
  const carol = await openClient('carol', 'documents');

  // Bob edits offline; Alice edits the same line of the same version online first: Bob's edit
  // cannot be merged (both changed that line) and becomes his conflict.
  await bob.offline();
  const bobCard = bob.card(docId);
  await bobCard.getByTestId('document-edit').click();
  await bobCard.getByLabel('Text').fill('Mon: Bob');
  await bobCard.getByTestId('document-save').click();
  const aliceCard = alice.card(docId);
  await aliceCard.getByTestId('document-edit').click();
  await aliceCard.getByLabel('Text').fill('Mon: Alice and Carol');
  await aliceCard.getByTestId('document-save').click();
  await alice.waitIdle();
  await bob.online();
  await bob.waitIdle();

  await expect(await bob.conflictCard(docId)).toContainText('OVERLAPPING_EDITS');
  const ritaCard = await rita.conflictCard(docId);
  await expect(ritaCard).toContainText('Edit by Bob Brown');
  await expect(ritaCard.getByTestId('conflict-keep-mine')).toHaveText('Keep Bob Brown’s version');

  // Alice and Carol have synced past the conflict (a later change reached them), yet hold no trace of it.
  const marker = await sql.insertTask({ title: unique('Synced after the conflict') });
  for (const client of [alice, carol]) {
    await client.goto('tasks');
    await expect(client.card(marker)).toBeVisible();
    await expect(
      client.page.locator(`[data-testid="conflict-card"][data-row-id="${docId}"]:not([data-ended])`),
    ).toHaveCount(0);
    const local = await client.page.evaluate(
      (id) => window.__cr?.getAll('SELECT id FROM write_conflicts WHERE row_id = ?', [id]),
      docId,
    );
    expect(local, `${client.user} holds no copy of Bob's conflict`).toEqual([]);
  }
  expect(await sql.rows(`SELECT user_id, status FROM write_conflicts WHERE row_id = $1`, [docId])).toEqual([
    { user_id: 'bob', status: 'open' },
  ]);
});
