import type { Locator } from '@playwright/test';
import type { Client } from '../fixtures/client.ts';
import { unique } from '../fixtures/sql.ts';
import { expect, test } from '../fixtures/test.ts';

/** The exact text of an element (textContent: line ends kept, nothing normalised). */
const exactText = (locator: Locator) => locator.evaluate((element) => element.textContent ?? '');

async function saveText(client: Client, docId: string, body: string): Promise<void> {
  const card = client.card(docId);
  await card.getByTestId('document-edit').click();
  await card.getByLabel('Text').fill(body);
  await card.getByTestId('document-save').click();
  await expect(card.getByTestId('document-editor')).toHaveCount(0);
}

async function expectBodyEverywhere(clients: Client[], docId: string, body: string, version: number): Promise<void> {
  for (const client of clients) {
    await expect.poll(() => exactText(client.card(docId).getByTestId('document-body'))).toBe(body);
    await expect(client.card(docId).getByTestId('document-version')).toHaveText(`v${version}`);
  }
}

/** A document Alice creates and writes in the UI: version 1 (create) and 2 (edit). */
async function newDocument(alice: Client, body: string): Promise<string> {
  const title = unique('Opening routine');
  await alice.page.getByTestId('new-document-title').fill(title);
  await alice.page.getByTestId('new-document-add').click();
  const card = alice.page.locator('main [data-testid="document-card"]', { hasText: title });
  await expect(card).toHaveCount(1);
  const docId = (await card.getAttribute('data-row-id')) ?? '';
  await saveText(alice, docId, body);
  await alice.waitIdle();
  return docId;
}

const V2 = 'Unlock the doors.\nSwitch on the lights.';
const ALICE = 'Unlock the doors at eight.\nSwitch on the lights.';
const BOB = 'Unlock the doors at nine.\nSwitch on the lights.';

test('history: versions with kind, author and time; any two compared; restore a version; undo a resolution offline', async ({
  openClient,
  sql,
}) => {
  test.setTimeout(150_000);
  const alice = await openClient('alice', 'documents');
  const bob = await openClient('bob', 'documents');
  const docId = await newDocument(alice, V2);
  await expectBodyEverywhere([alice, bob], docId, V2, 2);

  // Both offline on version 2 change the same paragraph: Alice's is version 3, Bob's a conflict
  // he resolves by keeping his (version 4, a resolution).
  await alice.offline();
  await bob.offline();
  await saveText(alice, docId, ALICE);
  await saveText(bob, docId, BOB);
  await alice.online();
  await alice.waitIdle();
  await bob.online();
  await bob.waitIdle();
  const conflict = await bob.conflictCard(docId);
  await conflict.getByTestId('conflict-keep-mine').click();
  await bob.waitIdle();
  await expectBodyEverywhere([alice, bob], docId, BOB, 4);

  // Alice's device has the history: newest first, how each version came about and by whom.
  await alice.waitIdle();
  await alice.card(docId).getByTestId('document-history-toggle').click();
  const history = alice.card(docId).getByTestId('document-history');
  const entries = history.getByTestId('history-entry');
  await expect(entries).toHaveCount(4);
  await expect(entries.nth(0)).toHaveAttribute('data-kind', 'resolution');
  await expect(entries.nth(0)).toContainText('conflict resolved');
  await expect(entries.nth(0)).toContainText('Bob Brown');
  await expect(entries.nth(1)).toHaveAttribute('data-kind', 'edit');
  await expect(entries.nth(3)).toHaveAttribute('data-kind', 'create');

  // Any two compared: the newest against its predecessor at first, then 2 → 4, word by word.
  await expect(history.getByTestId('history-diff')).toContainText('Version 3 → version 4');
  await history.getByTestId('history-from-2').check();
  await expect(history.getByTestId('history-diff')).toContainText('Version 2 → version 4');
  await expect(history.getByTestId('history-diff-body').locator('ins')).toHaveText('[added:  at nine]');
  await expect(history.getByTestId('history-diff-body').locator('del')).toHaveCount(0);

  // Restore version 2: a new version 5 with the old text everywhere, recorded as a restore.
  await history.getByTestId('history-restore-2').click();
  await expect(history.getByTestId('history-notice')).toContainText('Version 2 restored as version 5');
  await expect(history.getByTestId('history-notice')).toBeFocused();
  await alice.waitIdle();
  await expectBodyEverywhere([alice, bob], docId, V2, 5);
  await expect(entries.nth(0)).toHaveAttribute('data-version', '5');
  await expect(entries.nth(0)).toHaveAttribute('data-kind', 'restore');

  // Bob, offline, undoes his resolution from his synced history: version 3 (Alice's text) again,
  // queued on his device, everywhere once he is back.
  await bob.waitIdle();
  await bob.offline();
  await bob.card(docId).getByTestId('document-history-toggle').click();
  const bobHistory = bob.card(docId).getByTestId('document-history');
  await expect(bobHistory.getByTestId('history-entry')).toHaveCount(5);
  await bobHistory.getByTestId('history-undo-4').click();
  await expect(bobHistory.getByTestId('history-notice')).toContainText(
    'Resolution of version 4 undone: version 3 restored as version 6',
  );
  await expect.poll(() => exactText(bob.card(docId).getByTestId('document-body'))).toBe(ALICE);
  await bob.online();
  await bob.waitIdle();
  await expectBodyEverywhere([alice, bob], docId, ALICE, 6);
  await expect(entries.nth(0)).toHaveAttribute('data-kind', 'restore');
  expect(
    await sql.rows('SELECT version, kind, author_id, body FROM document_revisions WHERE row_id = $1 ORDER BY version', [
      docId,
    ]),
  ).toEqual([
    { version: 1, kind: 'create', author_id: 'alice', body: '' },
    { version: 2, kind: 'edit', author_id: 'alice', body: V2 },
    { version: 3, kind: 'edit', author_id: 'alice', body: ALICE },
    { version: 4, kind: 'resolution', author_id: 'bob', body: BOB },
    { version: 5, kind: 'restore', author_id: 'alice', body: V2 },
    { version: 6, kind: 'restore', author_id: 'bob', body: ALICE },
  ]);
});

test('a restore made offline on an old version never overwrites the edit it did not see', async ({
  openClient,
  sql,
}) => {
  const alice = await openClient('alice', 'documents');
  const bob = await openClient('bob', 'documents');
  const docId = await newDocument(alice, V2);
  await saveText(alice, docId, ALICE);
  await alice.waitIdle();
  await expectBodyEverywhere([bob], docId, ALICE, 3);

  // Alice restores version 2 offline while Bob saves version 4, changing the same paragraph.
  await alice.offline();
  await alice.card(docId).getByTestId('document-history-toggle').click();
  await alice.card(docId).getByTestId('history-restore-2').click();
  await saveText(bob, docId, BOB);
  await bob.waitIdle();
  await alice.online();
  await alice.waitIdle();

  // Bob's version stands everywhere; Alice's restore is her conflict to resolve, not a silent overwrite.
  await expectBodyEverywhere([alice, bob], docId, BOB, 4);
  expect(await sql.one('SELECT body, version FROM documents WHERE id = $1', [docId])).toEqual({
    body: BOB,
    version: 4,
  });
  await expect(await alice.conflictCard(docId)).toBeVisible();
  expect(
    await sql.one(`SELECT count(*)::int AS n FROM document_revisions WHERE row_id = $1 AND kind = 'restore'`, [docId]),
  ).toEqual({
    n: 0,
  });
});
