import type { Page } from '@playwright/test';
import { expectAccessible, expectNoOverflow, expectNoOverlap } from '../fixtures/axe.ts';
import type { Client, Screen } from '../fixtures/client.ts';
import { unique } from '../fixtures/sql.ts';
import { expect, test } from '../fixtures/test.ts';

const WIDTHS = {
  laptop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;

/** A word no line can break: a pasted link, a serial number. */
const UNBROKEN = `Unbroken${'x'.repeat(180)}`;

/** Checks one state of the app at both widths: axe, no page wider than the window. */
async function check(page: Page, where: string, textSelector?: string): Promise<void> {
  for (const [name, size] of Object.entries(WIDTHS)) {
    await page.setViewportSize(size);
    await expectAccessible(page, `${where} (${name})`);
    await expectNoOverflow(page, `${where} (${name})`);
    if (textSelector) await expectNoOverlap(page, textSelector, `${where} (${name})`);
  }
  await page.setViewportSize(WIDTHS.laptop);
}

async function screen(client: Client, name: Screen): Promise<void> {
  await client.goto(name);
  await expect(client.page.getByTestId(`screen-${name}`)).toBeVisible();
}

test('every screen, at laptop and phone widths: no serious or critical axe violations, long words never widen the page', async ({
  browser,
  stack,
  openClient,
  sql,
}) => {
  test.setTimeout(150_000);
  const taskId = await sql.insertTask({ title: UNBROKEN });
  const docId = await sql.insertDocument({ title: unique('Long lines'), body: UNBROKEN });
  const orderId = await sql.insertOrder({ customer: UNBROKEN, priceCents: 1234 });
  const patientId = await sql.insertPatient({ name: unique('Ada Byrne'), diagnosis: UNBROKEN, heartRate: 80 });
  await sql.insertConflict({ author: 'alice', taskId, title: `${UNBROKEN} (Alice)` });
  const textDocId = await sql.insertDocument({ title: unique('Two versions'), body: `First.\n${UNBROKEN}\nLast.` });
  await sql.rows(`UPDATE documents SET body = $2, version = 2, updated_by = 'bob' WHERE id = $1`, [
    textDocId,
    `First, theirs.\n${UNBROKEN} theirs\nLast.`,
  ]);
  await sql.insertTextConflict({
    author: 'alice',
    docId: textDocId,
    base: `First.\n${UNBROKEN}\nLast.`,
    body: `First, mine.\n${UNBROKEN} mine\nLast.`,
  });

  const context = await browser.newContext({ baseURL: stack.webUrl });
  const signIn = await context.newPage();
  await signIn.goto('/');
  await expect(signIn.getByTestId('sign-in-alice')).toBeVisible();
  await check(signIn, 'sign-in');
  await context.close();

  const alice = await openClient('alice');
  const card = alice.card(taskId);
  await expect(card).toBeVisible();
  await card.getByTestId('task-quick-edit').click();
  await card.getByTestId('task-open-editor').click();
  await alice.page.getByTestId('task-editor').getByLabel('Priority (1–5)').fill('9');
  await alice.page.getByTestId('sync-status').locator('summary').click();
  await check(
    alice.page,
    'tasks with the quick edit, the tracked editor (an invalid value) and the sync status open',
    '[data-testid="task-title"]',
  );
  await alice.page.getByTestId('sync-status').locator('summary').click();

  await screen(alice, 'documents');
  // Version 1 is the fixture's; a second version to compare it with.
  await sql.rows(
    `INSERT INTO document_revisions (id, row_id, version, title, body, kind, author_id, created_at)
     SELECT gen_random_uuid(), d.id, 2, d.title, 'First words.', 'resolution', 'rita', now() FROM documents d WHERE d.id = $1`,
    [docId],
  );
  await alice.card(docId).getByTestId('document-history-toggle').click();
  await expect(alice.card(docId).getByTestId('history-entry')).toHaveCount(2);
  await alice.card(docId).getByTestId('document-edit').click();
  await check(alice.page, 'documents with the history (a diff) and the editor open', '[data-testid="document-body"]');
  await screen(alice, 'orders');
  await alice.card(orderId).getByTestId('order-edit').click();
  await alice.card(orderId).getByTestId('order-quantity-input').fill('-1');
  await check(alice.page, 'orders with the edit form open (an invalid quantity)', '.row-title > span:first-child');
  await screen(alice, 'inventory');
  await check(alice.page, 'inventory');
  await screen(alice, 'analytics');
  await expect(alice.page.getByTestId('open-conflicts')).toBeVisible();
  await check(alice.page, 'analytics');

  const dan = await openClient('dan', 'patients');
  await dan.card(patientId).getByTestId('patient-edit').click();
  await check(dan.page, 'patients with the editor open');

  const rita = await openClient('rita', 'orders');
  await expect(rita.page.getByTestId('read-only-note')).toContainText(
    'As a reviewer you can see orders but not change them.',
  );
  await rita.goto('inventory');
  await expect(rita.page.getByTestId('read-only-note')).toContainText(
    'As a reviewer you can see the stock but not change it.',
  );
  await expect(rita.page.getByTestId('sell-submit')).toHaveCount(0);
  await rita.conflictCard(taskId);
  await rita.page
    .locator(`[data-testid="conflict-card"][data-row-id="${taskId}"]`)
    .getByTestId('conflict-merge')
    .click();
  await check(rita.page, 'the reviewer’s banner with a merge open');
  const textCard = rita.page.locator(`[data-testid="conflict-card"][data-row-id="${textDocId}"]`);
  await textCard.getByTestId('conflict-merge').click();
  await textCard.getByTestId('hunk-body-0-mine-first').check();
  await textCard.getByTestId('text-edit-open-body').click();
  await check(rita.page, 'a text conflict chosen per place, with the hand edit and the preview open', '.diff-text');
});
