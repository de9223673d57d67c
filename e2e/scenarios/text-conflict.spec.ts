import type { Locator } from '@playwright/test';
import type { Client } from '../fixtures/client.ts';
import { type Sql, unique } from '../fixtures/sql.ts';
import { expect, test } from '../fixtures/test.ts';

const BASE = 'Unlock the doors.\nSwitch on the lights.\nCount the till.\nOpen the blinds.';
const BOB = 'Unlock both doors.\nSwitch on the lights.\nCount the till twice.\nOpen the blinds.';
const ALICE = 'Unlock the front doors.\nSwitch on the lights.\nCount the till and the safe.\nOpen the blinds.';

/** A document at version 2 (Bob's text), and Alice's open text conflict made on version 1. */
async function textConflict(sql: Sql): Promise<string> {
  const docId = await sql.insertDocument({ title: unique('Opening routine'), body: BASE });
  await sql.rows(`UPDATE documents SET body = $2, version = 2, updated_by = 'bob', updated_at = now() WHERE id = $1`, [
    docId,
    BOB,
  ]);
  await sql.insertTextConflict({ author: 'alice', docId, base: BASE, body: ALICE });
  return docId;
}

/** The exact text of an element (textContent: line ends kept, nothing normalised). */
const exactText = (locator: Locator) => locator.evaluate((element) => element.textContent ?? '');

async function expectEverywhere(clients: Client[], docId: string, body: string): Promise<void> {
  for (const client of clients) {
    await expect.poll(() => exactText(client.card(docId).getByTestId('document-body'))).toBe(body);
  }
}

test('a text conflict resolved per place (one mine, one theirs): everyone has exactly the previewed text', async ({
  openClient,
  sql,
}) => {
  const docId = await textConflict(sql);
  const alice = await openClient('alice', 'documents');
  const bob = await openClient('bob', 'documents');
  const card = await alice.conflictCard(docId);
  await expect(card).toContainText('OVERLAPPING_EDITS');

  // Two places, each with only the changed words marked on each side.
  const hunks = card.getByTestId('text-hunk');
  await expect(hunks).toHaveCount(2);
  await expect(hunks.nth(0)).toContainText('Paragraph 1');
  await expect(hunks.nth(1)).toContainText('Paragraph 3');
  await expect(card.getByTestId('hunk-mine-body-0').locator('ins')).toHaveText('[added: front ]');
  await expect(card.getByTestId('hunk-theirs-body-0').locator('ins')).toHaveText('[added: both]');
  await expect(card.getByTestId('hunk-theirs-body-0').locator('del')).toHaveText('[removed: the]');
  await expect(card.getByTestId('hunk-mine-body-1').locator('ins')).toHaveText('[added:  and the safe]');

  // Choose per paragraph: the focus lands on the first choice and stays on what is chosen.
  await card.getByTestId('conflict-merge').click();
  await expect(card.getByTestId('hunk-body-0-mine')).toBeFocused();
  await alice.page.keyboard.press('Space');
  await expect(card.getByTestId('hunk-body-0-mine')).toBeChecked();
  await expect(card.getByTestId('hunk-body-0-mine')).toBeFocused();
  await expect(card.getByTestId('hunk-body-1-theirs')).toBeChecked();
  const expected = 'Unlock the front doors.\nSwitch on the lights.\nCount the till twice.\nOpen the blinds.';
  await expect.poll(() => exactText(card.getByTestId('text-preview-body'))).toBe(expected);

  // Both, in either order, go into the preview at once.
  await card.getByTestId('hunk-body-1-mine-first').check();
  await expect
    .poll(() => exactText(card.getByTestId('text-preview-body')))
    .toBe(
      'Unlock the front doors.\nSwitch on the lights.\nCount the till and the safe.\nCount the till twice.\nOpen the blinds.',
    );
  await card.getByTestId('hunk-body-1-theirs').check();
  const preview = await exactText(card.getByTestId('text-preview-body'));
  expect(preview).toBe(expected);

  await card.getByTestId('conflict-save-merge').click();
  await expect(card).toHaveAttribute('data-ended', 'merged');
  await alice.waitIdle();
  await expectEverywhere([alice, bob], docId, preview);
  for (const client of [alice, bob]) await expect(client.card(docId).getByTestId('document-version')).toHaveText('v3');
  expect(await sql.one('SELECT body, version FROM documents WHERE id = $1', [docId])).toEqual({
    body: preview,
    version: 3,
  });
  expect(await sql.one('SELECT status, resolution FROM write_conflicts WHERE row_id = $1', [docId])).toEqual({
    status: 'resolved',
    resolution: 'merged',
  });
});

test('keep mine in every place: the other side’s change to a paragraph the edit never touched stays', async ({
  openClient,
  sql,
}) => {
  const tail = '\nWater the plants.\nSweep the floor.';
  const docId = await sql.insertDocument({ title: unique('Opening routine'), body: BASE + tail });
  const theirs = `${BOB}${tail.replace('Sweep the floor.', 'Sweep the floor twice.')}`;
  await sql.rows(`UPDATE documents SET body = $2, version = 2, updated_by = 'bob' WHERE id = $1`, [docId, theirs]);
  await sql.insertTextConflict({ author: 'alice', docId, base: BASE + tail, body: ALICE + tail });
  const alice = await openClient('alice', 'documents');
  const card = await alice.conflictCard(docId);
  await expect(card.getByTestId('text-hunk')).toHaveCount(2);
  await expect(card.getByTestId('conflict-keep-mine')).toHaveText('Keep mine in every place');
  await card.getByTestId('conflict-keep-mine').click();
  await alice.waitIdle();
  const expected = `${ALICE}\nWater the plants.\nSweep the floor twice.`;
  await expectEverywhere([alice], docId, expected);
  expect(await sql.one('SELECT body, version FROM documents WHERE id = $1', [docId])).toEqual({
    body: expected,
    version: 3,
  });
});

test('a text conflict edited by hand: the stored text is exactly the typed one', async ({ openClient, sql }) => {
  const docId = await textConflict(sql);
  const alice = await openClient('alice', 'documents');
  const bob = await openClient('bob', 'documents');
  const card = await alice.conflictCard(docId);
  await card.getByTestId('conflict-merge').click();
  await card.getByTestId('hunk-body-0-mine').check();

  // The box starts from the choices; once typed in, the choices are set aside (not lost).
  await card.getByTestId('text-edit-open-body').click();
  const box = card.getByTestId('text-edit-body');
  await expect(box).toBeFocused();
  await expect(box).toHaveValue(
    'Unlock the front doors.\nSwitch on the lights.\nCount the till twice.\nOpen the blinds.',
  );
  const typed =
    'Unlock the front doors.\nSwitch on the lights.\nCount the till twice, then the safe.\nOpen the blinds.';
  await box.fill(typed);
  await expect(card.getByTestId('hunk-body-0-mine')).toBeDisabled();
  await expect.poll(() => exactText(card.getByTestId('text-preview-body'))).toBe(typed);

  await card.getByTestId('conflict-save-merge').click();
  await alice.waitIdle();
  await expectEverywhere([alice, bob], docId, typed);
  expect(await sql.one('SELECT body FROM documents WHERE id = $1', [docId])).toEqual({ body: typed });
});

test('the document moved again before the choice was saved: refused and told, nothing overwritten', async ({
  openClient,
  sql,
}) => {
  const docId = await textConflict(sql);
  const alice = await openClient('alice', 'documents');
  const card = await alice.conflictCard(docId);
  await card.getByTestId('conflict-merge').click();
  await card.getByTestId('hunk-body-0-mine').check();

  // Alice chooses offline; meanwhile Bob's version 3 changes the last paragraph.
  await alice.offline();
  const moved = BOB.replace('Open the blinds.', 'Open the shutters.');
  await sql.rows(`UPDATE documents SET body = $2, version = 3, updated_at = now() WHERE id = $1`, [docId, moved]);
  await card.getByTestId('conflict-save-merge').click();
  await expect(card).toHaveAttribute('data-ended', 'merged');
  await alice.online();
  await alice.waitIdle();

  // Refused: Bob's version 3 stands, the card is live again with the places of version 3.
  await expect(card.getByTestId('conflict-reopened')).toBeVisible();
  await expect(card).not.toHaveAttribute('data-ended');
  await expect(alice.rejections({ code: 'STALE_RESOLUTION' })).toHaveCount(1);
  expect(await sql.one('SELECT body, version FROM documents WHERE id = $1', [docId])).toEqual({
    body: moved,
    version: 3,
  });
  await expectEverywhere([alice], docId, moved);

  // Still choosing, now on the places of version 3: Bob's newest paragraph is kept.
  await expect(card.getByTestId('text-hunk').nth(0)).toContainText('Paragraph 1');
  await card.getByTestId('hunk-body-0-mine').check();
  const expected = 'Unlock the front doors.\nSwitch on the lights.\nCount the till twice.\nOpen the shutters.';
  await expect.poll(() => exactText(card.getByTestId('text-preview-body'))).toBe(expected);
  await card.getByTestId('conflict-save-merge').click();
  await alice.waitIdle();
  await expectEverywhere([alice], docId, expected);
  expect(await sql.one('SELECT body, version FROM documents WHERE id = $1', [docId])).toEqual({
    body: expected,
    version: 4,
  });
});

async function saveText(client: Client, docId: string, body: string): Promise<void> {
  const card = client.card(docId);
  await card.getByTestId('document-edit').click();
  await card.getByLabel('Text').fill(body);
  await card.getByTestId('document-save').click();
  await expect(card.getByTestId('document-editor')).toHaveCount(0);
}

test('two users offline change the same paragraphs of one version: a text conflict, resolved per place, the preview everywhere', async ({
  openClient,
  sql,
}) => {
  const docId = await sql.insertDocument({ title: unique('Opening routine'), body: BASE });
  const alice = await openClient('alice', 'documents');
  const bob = await openClient('bob', 'documents');
  for (const client of [alice, bob]) await expect(client.card(docId).getByTestId('document-version')).toHaveText('v1');

  await alice.offline();
  await bob.offline();
  await saveText(alice, docId, ALICE);
  await saveText(bob, docId, BOB);
  await alice.online();
  await alice.waitIdle();
  await bob.online();
  await bob.waitIdle();
  expect(await sql.one('SELECT body, version FROM documents WHERE id = $1', [docId])).toEqual({
    body: ALICE,
    version: 2,
  });

  // Bob's edit met Alice's version 2 in paragraphs 1 and 3: his conflict, with both places.
  const card = await bob.conflictCard(docId);
  await expect(card).toContainText('OVERLAPPING_EDITS');
  await expect(card).toContainText('both changed the same paragraphs');
  await expect(card.getByTestId('text-hunk')).toHaveCount(2);
  await card.getByTestId('conflict-merge').click();
  await card.getByTestId('hunk-body-0-mine').check();
  await card.getByTestId('hunk-body-1-theirs').check();
  const preview = await exactText(card.getByTestId('text-preview-body'));
  expect(preview).toBe('Unlock both doors.\nSwitch on the lights.\nCount the till and the safe.\nOpen the blinds.');
  await card.getByTestId('conflict-save-merge').click();
  await bob.waitIdle();
  await alice.waitIdle();
  await expectEverywhere([alice, bob], docId, preview);
  for (const client of [alice, bob]) await expect(client.card(docId).getByTestId('document-version')).toHaveText('v3');
  expect(await sql.one('SELECT body, version FROM documents WHERE id = $1', [docId])).toEqual({
    body: preview,
    version: 3,
  });
  expect(
    await sql.one('SELECT code, status, resolution, user_id FROM write_conflicts WHERE row_id = $1', [docId]),
  ).toEqual({ code: 'OVERLAPPING_EDITS', status: 'resolved', resolution: 'merged', user_id: 'bob' });
});
