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

test('two offline edits of the same document version: one applies, the other is a conflict; keep server', async ({
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
  await editDocument(bob, docId, 'Title', `${title} (evening)`);

  // Alice reaches the server first: her version 2 applies.
  await alice.online();
  await alice.waitIdle();
  await expect
    .poll(() => sql.one('SELECT version, body FROM documents WHERE id = $1', [docId]))
    .toEqual({ version: 2, body: 'Lock the doors and set the alarm.' });

  // Bob's edit was also made on version 1: recorded as his conflict, not applied.
  await bob.online();
  await bob.waitIdle();
  const conflict = await bob.conflictCard(docId);
  await expect(conflict).toContainText('VERSION_MISMATCH');
  await expect(conflict.locator('[data-field="title"]')).toHaveAttribute('data-differs', 'true');
  await expect(bob.card(docId).getByTestId('document-title')).toHaveText(title);
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
    .toEqual([{ user_id: 'bob', code: 'VERSION_MISMATCH', status: 'resolved', resolution: 'server' }]);
});
