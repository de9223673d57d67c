import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from '@playwright/test';
import { loadWebEnv } from '../server/env.ts';
import type { CrSnapshot } from '../src/test-hook/test-hook-types.ts';

/**
 * README screenshots of the main screens at laptop and phone widths, against a running stack
 * with the demo data (a fresh one is best: `npm run reset && npm start`, or
 * `npx tsx e2e/stack/cli.ts --web-port 5180`):
 *
 *   npm run screenshots -w @cr/web [-- --url http://127.0.0.1:5180]
 *
 * It plays a few scenes through the UI (two clerks editing the same document and order, one of
 * them with "work offline" on; a form left open while the other saves) so the conflict banner, the
 * refusals, the "changed while you were editing" notice and the field-change panel have something
 * to show. PNGs go to apps/web/docs/screenshots/.
 */
const webRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(webRoot, 'docs', 'screenshots');
const urlIndex = process.argv.indexOf('--url');
const baseUrl = urlIndex >= 0 ? String(process.argv[urlIndex + 1]) : `http://127.0.0.1:${loadWebEnv().port}`;
const LAPTOP = { width: 1280, height: 820 };
const PHONE = { width: 390, height: 844 };

async function state(page: Page, predicate: (snapshot: CrSnapshot) => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const snapshot = await page.evaluate(() => window.__cr?.snapshot() ?? null).catch(() => null);
    if (snapshot && predicate(snapshot)) return;
    await page.waitForTimeout(200);
  }
  throw new Error(`timed out waiting for: ${what}`);
}

async function signIn(
  browser: Browser,
  user: string,
  viewport = LAPTOP,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(baseUrl);
  await page.getByTestId(`sign-in-${user}`).click();
  await state(page, (s) => s.idle, `${user} synced`);
  return { context, page };
}

async function setWorkOffline(page: Page, value: boolean): Promise<void> {
  await page.getByTestId('sync-status').locator('summary').click();
  await page.getByTestId('work-offline-switch').setChecked(value);
  await page.getByTestId('sync-status').locator('summary').click();
  await state(page, (s) => s.workOffline === value && (value || s.idle), value ? 'offline' : 'synced again');
}

/** A calm picture: toasts dismissed and the conflict banner folded, unless the shot is about them. */
async function tidy(page: Page, keep: { toasts?: boolean; banner?: boolean } = {}): Promise<void> {
  if (!keep.toasts) {
    const close = page.getByRole('button', { name: 'Dismiss this message' });
    while ((await close.count()) > 0) await close.first().click();
  }
  const toggle = page.getByTestId('conflict-toggle');
  if (!keep.banner && (await toggle.count()) > 0 && (await toggle.getAttribute('aria-expanded')) === 'true') {
    await toggle.click();
  }
}

async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.screenshot({ path: path.join(outDir, `${name}.png`), fullPage, animations: 'disabled' });
  process.stdout.write(`  ${name}.png\n`);
}

function browserPath(): string | undefined {
  return existsSync(chromium.executablePath()) ? undefined : '/usr/bin/chromium';
}

const browser = await chromium.launch({
  executablePath: browserPath(),
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-sync', '--no-first-run'],
});
await mkdir(outDir, { recursive: true });
process.stdout.write(`screenshots of ${baseUrl} → ${path.relative(process.cwd(), outDir)}\n`);
try {
  const signInPage = await browser.newPage({ viewport: LAPTOP });
  await signInPage.goto(baseUrl);
  await signInPage.getByTestId('sign-in-alice').waitFor();
  await shot(signInPage, 'sign-in');
  await signInPage.setViewportSize(PHONE);
  await shot(signInPage, 'sign-in-phone');

  const alice = await signIn(browser, 'alice');
  const bob = await signIn(browser, 'bob');

  // A document conflict: Alice edits while working offline, Bob edits the same version online.
  await alice.page.goto(`${baseUrl}/#/documents`);
  await bob.page.goto(`${baseUrl}/#/documents`);
  await setWorkOffline(alice.page, true);
  const aliceDoc = alice.page.getByTestId('document-card').filter({ hasText: 'Opening checklist' });
  await aliceDoc.getByTestId('document-edit').click();
  await aliceDoc
    .getByLabel('Text')
    .fill('1. Unlock the doors\n2. Switch on the tills and the card readers\n3. Check the float');
  await aliceDoc.getByTestId('document-save').click();
  const bobDoc = bob.page.getByTestId('document-card').filter({ hasText: 'Opening checklist' });
  await bobDoc.getByTestId('document-edit').click();
  await bobDoc.getByLabel('Title').fill('Opening checklist (winter)');
  await bobDoc.getByLabel('Text').fill('1. Unlock the doors\n2. Switch on the heating\n3. Check the float');
  await bobDoc.getByTestId('document-save').click();
  await state(bob.page, (s) => s.idle, 'bob uploaded');

  // An order that became illegal while Alice was offline.
  await alice.page.goto(`${baseUrl}/#/orders`);
  await bob.page.goto(`${baseUrl}/#/orders`);
  await alice.page
    .getByTestId('order-card')
    .filter({ hasText: 'Northwind Cafe' })
    .getByTestId('order-move-processing')
    .click();
  await bob.page
    .getByTestId('order-card')
    .filter({ hasText: 'Northwind Cafe' })
    .getByTestId('order-move-cancelled')
    .click();
  await state(bob.page, (s) => s.idle, 'bob uploaded');
  await alice.page.getByTestId('sync-status').locator('summary').click();
  await shot(alice.page, 'sync-status-offline');
  await alice.page.getByTestId('sync-status').locator('summary').click();
  await setWorkOffline(alice.page, false);
  await alice.page.getByTestId('rejection').first().waitFor();
  await alice.page.getByTestId('toast').first().waitFor();
  await tidy(alice.page, { toasts: true });
  await shot(alice.page, 'orders');

  await alice.page.goto(`${baseUrl}/#/documents`);
  await alice.page.getByTestId('conflict-toggle').click();
  await alice.page.getByTestId('conflict-card').first().waitFor();
  await tidy(alice.page, { banner: true });
  await shot(alice.page, 'conflict-banner');

  // A quick edit left open while Bob, online, renames the task: the form says so.
  await alice.page.goto(`${baseUrl}/#/tasks`);
  await bob.page.goto(`${baseUrl}/#/tasks`);
  await tidy(alice.page);
  const aliceTask = alice.page.getByTestId('task-card').filter({ hasText: 'Call the courier about late parcels' });
  await aliceTask.getByTestId('task-quick-edit').click();
  await aliceTask.getByLabel('Priority').selectOption('1');
  const bobTask = bob.page.getByTestId('task-card').filter({ hasText: 'Call the courier about late parcels' });
  await bobTask.getByTestId('task-quick-edit').click();
  await bobTask.getByLabel('Title').fill('Call the courier about late parcels (and the missing van)');
  await bobTask.getByTestId('task-quick-save').click();
  await state(bob.page, (s) => s.idle, 'bob uploaded');
  await aliceTask.getByTestId('moved-notice').waitFor();
  await aliceTask.screenshot({ path: path.join(outDir, 'edit-moved.png') });
  process.stdout.write('  edit-moved.png\n');
  await aliceTask.getByTestId('form-close').click();

  // The tracked task editor: a value refused as it is typed, and one an old client sent anyway,
  // which the server's worker failed (retry or discard).
  const task = alice.page.getByTestId('task-card').filter({ hasText: 'Order more packing tape' });
  const taskId = await task.getAttribute('data-row-id');
  await task.getByTestId('task-open-editor').click();
  const editor = alice.page.getByTestId('task-editor');
  await editor.getByLabel('Description').fill('Two rolls of the wide brown tape for the parcel table.');
  await editor.getByTestId('task-editor-save').click();
  await alice.page.evaluate(
    (id) =>
      window.__cr?.execute(
        `INSERT INTO field_changes (id, user_id, table_name, row_id, field_name, new_value, status, attempts, created_at, updated_at)
         VALUES ('6d1c5c36-5f0e-4a5e-9d53-3f1d2c0b9a01', 'alice', 'tasks', ?, 'priority', '9', 'pending', 0, ?, ?)`,
        [id, new Date().toISOString(), new Date().toISOString()],
      ),
    taskId,
  );
  await editor.locator('[data-testid="field-change"][data-status="failed"]').waitFor();
  await editor.locator('[data-testid="field-change"][data-status="applied"]').waitFor();
  await editor.getByLabel('Title').fill(' ');
  await tidy(alice.page);
  await shot(alice.page, 'tasks');
  await editor.screenshot({ path: path.join(outDir, 'field-change-panel.png') });
  process.stdout.write('  field-change-panel.png\n');

  await alice.page.goto(`${baseUrl}/#/inventory`);
  const mug = alice.page.getByTestId('stock-card').filter({ hasText: 'Red cap' });
  await mug.getByTestId('sell-amount').fill('9');
  await mug.getByTestId('sell-submit').click();
  await mug.getByTestId('sell-problem').waitFor();
  await tidy(alice.page);
  await shot(alice.page, 'inventory');

  await alice.page.goto(`${baseUrl}/#/analytics`);
  await alice.page.getByTestId('timeline-chart').waitFor();
  await tidy(alice.page);
  await shot(alice.page, 'analytics');

  const dan = await signIn(browser, 'dan');
  await dan.page.goto(`${baseUrl}/#/patients`);
  await dan.page.getByTestId('patient-card').first().waitFor();
  await shot(dan.page, 'patients');

  // Phone width.
  const phone = await signIn(browser, 'alice', PHONE);
  await phone.page.goto(`${baseUrl}/#/documents`);
  await phone.page.getByTestId('conflict-toggle').click();
  await tidy(phone.page, { banner: true });
  await shot(phone.page, 'conflict-banner-phone');
  await phone.page.goto(`${baseUrl}/#/tasks`);
  await phone.page.getByTestId('task-card').first().waitFor();
  await tidy(phone.page);
  await shot(phone.page, 'tasks-phone');
  await phone.page.goto(`${baseUrl}/#/inventory`);
  await phone.page.getByTestId('stock-card').first().waitFor();
  await tidy(phone.page);
  await shot(phone.page, 'inventory-phone');
} finally {
  await browser.close();
}
