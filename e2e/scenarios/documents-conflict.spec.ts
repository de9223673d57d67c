import type { Client } from '../fixtures/client.ts';
import { unique } from '../fixtures/sql.ts';
import { expect, test } from '../fixtures/test.ts';

async function editDocument(client: Client, id: string, field: 'Title' | 'Text', value: string): Promise<void> {
  const card = client.card(id);
  await card.getByTestId('document-edit').click();
  await card.getByLabel(field).fill(value);
  await card.getByTestId('document-save').click();
  await expect(card.getByTestId('document-version')).toHaveText('v2');
}

test('two users offline edit paragraphs 1 and 3 of the same version: both edits everywhere, no conflict', async ({
  openClient,
  sql,
}) => {
  const title = unique('Opening checklist');
  const body = 'Unlock the doors.\n\nSwitch on the tills.\n\nCheck the float.';
  const docId = await sql.insertDocument({ title, body });
  const alice = await openClient('alice', 'documents');
  const bob = await openClient('bob', 'documents');
  for (const client of [alice, bob]) await expect(client.card(docId).getByTestId('document-version')).toHaveText('v1');

  await alice.offline();
  await bob.offline();
  await editDocument(
    alice,
    docId,
    'Text',
    'Unlock the front and back doors.\n\nSwitch on the tills.\n\nCheck the float.',
  );
  await editDocument(bob, docId, 'Text', 'Unlock the doors.\n\nSwitch on the tills.\n\nCount the float twice.');

  await alice.online();
  await alice.waitIdle();
  await bob.online();
  await bob.waitIdle();

  // Bob's edit of version 1 met Alice's version 2: merged into version 3, and he is told what came from her.
  const merged = 'Unlock the front and back doors.\n\nSwitch on the tills.\n\nCount the float twice.';
  await expect
    .poll(() => sql.one('SELECT body, version, updated_by FROM documents WHERE id = $1', [docId]))
    .toEqual({ body: merged, version: 3, updated_by: 'bob' });
  await expect(bob.page.getByTestId('toast').filter({ hasText: 'merged' })).toContainText(
    'From version 2: body: line 1 from them.',
  );
  for (const client of [alice, bob]) {
    await expect(client.card(docId).getByTestId('document-version')).toHaveText('v3');
    await expect(client.card(docId).getByTestId('document-body')).toHaveText(merged);
  }
  expect(await sql.rows('SELECT 1 FROM write_conflicts WHERE row_id = $1', [docId])).toEqual([]);
  // One revision per applied version, written with it.
  expect(
    await sql.rows('SELECT version, kind, author_id, body FROM document_revisions WHERE row_id = $1 ORDER BY version', [
      docId,
    ]),
  ).toEqual([
    { version: 1, kind: 'create', author_id: 'carol', body },
    {
      version: 2,
      kind: 'edit',
      author_id: 'alice',
      body: 'Unlock the front and back doors.\n\nSwitch on the tills.\n\nCheck the float.',
    },
    { version: 3, kind: 'merge', author_id: 'bob', body: merged },
  ]);
  // …and synced to both browsers for the history view (a lower-priority bucket).
  for (const client of [alice, bob]) {
    await expect
      .poll(() =>
        client.page.evaluate(
          (id) =>
            window.__cr?.getAll('SELECT version, kind FROM document_revisions WHERE row_id = ? ORDER BY version', [id]),
          docId,
        ),
      )
      .toEqual([
        { version: 1, kind: 'create' },
        { version: 2, kind: 'edit' },
        { version: 3, kind: 'merge' },
      ]);
  }
});

test('two offline edits of the same paragraph: one applies, the other is an overlapping-edits conflict; keep server', async ({
  openClient,
  sql,
}) => {
  const title = unique('Closing checklist');
  const docId = await sql.insertDocument({ title, body: 'Lock the doors.' });
  const alice = await openClient('alice', 'documents');
  const bob = await openClient('bob', 'documents');
  for (const client of [alice, bob]) await expect(client.card(docId).getByTestId('document-version')).toHaveText('v1');

  await alice.offline();
  await bob.offline();
  await editDocument(alice, docId, 'Text', 'Lock the doors and set the alarm.');
  await editDocument(bob, docId, 'Text', 'Lock the doors twice.');

  // Alice reaches the server first: her version 2 applies.
  await alice.online();
  await alice.waitIdle();
  await expect
    .poll(() => sql.one('SELECT version, body FROM documents WHERE id = $1', [docId]))
    .toEqual({ version: 2, body: 'Lock the doors and set the alarm.' });

  // Bob's edit of version 1 changed the same line: recorded as his conflict, not applied.
  await bob.online();
  await bob.waitIdle();
  const conflict = await bob.conflictCard(docId);
  await expect(conflict).toContainText('OVERLAPPING_EDITS');
  await expect(conflict.locator('[data-field="body"]')).toHaveAttribute('data-differs', 'true');
  await expect(bob.card(docId).getByTestId('document-body')).toHaveText('Lock the doors and set the alarm.');
  await conflict.getByTestId('conflict-keep-server').click();
  await bob.waitIdle();

  // The card stays in place, saying how it ended, until the banner is closed.
  await expect(conflict).toHaveAttribute('data-ended', 'server');
  await expect(bob.page.locator(`[data-testid="conflict-card"][data-row-id="${docId}"]:not([data-ended])`)).toHaveCount(
    0,
  );
  for (const client of [alice, bob]) {
    await expect(client.card(docId).getByTestId('document-title')).toHaveText(title);
    await expect(client.card(docId).getByTestId('document-body')).toHaveText('Lock the doors and set the alarm.');
    await expect(client.card(docId).getByTestId('document-version')).toHaveText('v2');
  }
  expect(await sql.one('SELECT title, body, version FROM documents WHERE id = $1', [docId])).toEqual({
    title,
    body: 'Lock the doors and set the alarm.',
    version: 2,
  });
  await expect
    .poll(() => sql.rows(`SELECT user_id, code, status, resolution FROM write_conflicts WHERE row_id = $1`, [docId]))
    .toEqual([{ user_id: 'bob', code: 'OVERLAPPING_EDITS', status: 'resolved', resolution: 'server' }]);
});

test('a title both changed is a conflict on its own; the text that merged is applied at once; keep mine', async ({
  openClient,
  sql,
}) => {
  const title = unique('Rota');
  const docId = await sql.insertDocument({ title, body: 'Mon: Alice\n\nTue: Bob' });
  const alice = await openClient('alice', 'documents');
  const bob = await openClient('bob', 'documents');
  for (const client of [alice, bob]) await expect(client.card(docId).getByTestId('document-version')).toHaveText('v1');

  await alice.offline();
  await bob.offline();
  await editDocument(alice, docId, 'Title', `${title} (week 1)`);
  const bobCard = bob.card(docId);
  await bobCard.getByTestId('document-edit').click();
  await bobCard.getByLabel('Title').fill(`${title} (draft)`);
  await bobCard.getByLabel('Text').fill('Mon: Alice\n\nTue: Bob and Carol');
  await bobCard.getByTestId('document-save').click();
  await alice.online();
  await alice.waitIdle();
  await bob.online();
  await bob.waitIdle();

  // Bob's text is in version 3 at once, for everyone; only the title waits for him.
  for (const client of [alice, bob]) {
    await expect(client.card(docId).getByTestId('document-version')).toHaveText('v3');
    await expect(client.card(docId).getByTestId('document-body')).toHaveText('Mon: Alice\n\nTue: Bob and Carol');
    await expect(client.card(docId).getByTestId('document-title')).toHaveText(`${title} (week 1)`);
  }
  const conflict = await bob.conflictCard(docId);
  await expect(conflict).toContainText('OVERLAPPING_EDITS');
  await expect(conflict.getByTestId('conflict-field')).toHaveCount(1);
  await conflict.getByTestId('conflict-keep-mine').click();
  await bob.waitIdle();
  await expect(conflict).toHaveAttribute('data-ended', 'mine');
  for (const client of [alice, bob]) {
    await expect(client.card(docId).getByTestId('document-title')).toHaveText(`${title} (draft)`);
    await expect(client.card(docId).getByTestId('document-version')).toHaveText('v4');
  }
  expect(await sql.one('SELECT title, body, version FROM documents WHERE id = $1', [docId])).toEqual({
    title: `${title} (draft)`,
    body: 'Mon: Alice\n\nTue: Bob and Carol',
    version: 4,
  });
  expect(
    await sql.rows('SELECT version, kind FROM document_revisions WHERE row_id = $1 ORDER BY version', [docId]),
  ).toEqual([
    { version: 1, kind: 'create' },
    { version: 2, kind: 'edit' },
    { version: 3, kind: 'merge' },
    { version: 4, kind: 'resolution' },
  ]);
});
