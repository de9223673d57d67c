import { randomUUID } from 'node:crypto';
import type { Client } from '../fixtures/client.ts';
import { unique } from '../fixtures/sql.ts';
import { expect, test } from '../fixtures/test.ts';

/** A tracked change written straight into the local database, as an old or tampered client would. */
async function insertChange(client: Client, taskId: string, field: string, value: unknown): Promise<string> {
  const id = randomUUID();
  const now = new Date().toISOString();
  await client.page.evaluate(
    (params) =>
      window.__cr?.execute(
        `INSERT INTO field_changes (id, user_id, table_name, row_id, field_name, new_value, status, attempts, created_at, updated_at)
         VALUES (?, ?, 'tasks', ?, ?, ?, 'pending', 0, ?, ?)`,
        params,
      ),
    [id, client.user, taskId, field, JSON.stringify(value), now, now],
  );
  return id;
}

test('the editor refuses an invalid value at entry; one the server fails can be retried (once, however clicked) or discarded', async ({
  openClient,
  sql,
}) => {
  const title = unique('Sweep the loading bay');
  const taskId = await sql.insertTask({ title, priority: 3 });
  const alice = await openClient('alice');
  const card = alice.card(taskId);
  await expect(card).toContainText(title);

  // Offline, the editor says at once what the server would say, and records nothing.
  await alice.offline();
  await card.getByTestId('task-open-editor').click();
  const editor = alice.page.getByTestId('task-editor');
  await editor.getByLabel('Priority (1–5)').fill('9');
  await expect(editor.getByTestId('field-problem')).toHaveText('Must be a priority from 1 (highest) to 5.');
  await expect(editor.getByLabel('Priority (1–5)')).toHaveAttribute('aria-invalid', 'true');
  await editor.getByTestId('task-editor-save').click();
  await expect(editor.getByLabel('Priority (1–5)')).toBeFocused();
  expect(await alice.page.evaluate(() => window.__cr?.getAll('SELECT id FROM field_changes'))).toEqual([]);
  await editor.getByLabel('Priority (1–5)').fill('3');
  await expect(editor.getByTestId('field-problem')).toHaveCount(0);

  // A client that skips the check (old or tampered) records it anyway: pending, shown on the task.
  const changeId = await insertChange(alice, taskId, 'priority', 9);
  const change = editor.locator(`[data-testid="field-change"][data-field="priority"]`);
  await expect(change).toHaveAttribute('data-status', 'pending');
  await expect(card.getByTestId('task-priority')).toHaveText('P9');

  // Online, the server's worker refuses it, with the reason; the task keeps its priority.
  await alice.online();
  await alice.waitIdle();
  await expect(change).toHaveAttribute('data-status', 'failed');
  await expect(change.getByTestId('field-change-reason')).toContainText(
    'Not applied: Must be a priority from 1 (highest) to 5.',
  );
  await expect(change.getByTestId('field-change-reason')).toContainText('INVALID_VALUE');
  await expect(card.getByTestId('task-priority')).toHaveText('P3');
  const failed = await sql.one(`SELECT status, error_message FROM field_changes WHERE id = $1`, [changeId]);
  expect(failed.status).toBe('failed');
  expect(failed.error_message).toMatch(/priority/i);
  expect((await sql.one('SELECT priority FROM tasks WHERE id = $1', [taskId])).priority).toBe(3);

  // The retry form checks the correction as it is typed; a double-click retries once.
  await expect(change.getByTestId('field-problem')).toHaveText('Must be a priority from 1 (highest) to 5.');
  await change.getByTestId('field-change-value').fill('2');
  await change.getByTestId('field-change-retry').dblclick();
  await alice.waitIdle();
  await expect(change).toHaveAttribute('data-status', 'applied');
  await expect(card.getByTestId('task-priority')).toHaveText('P2');
  await expect
    .poll(() => sql.one('SELECT priority, modified_by FROM tasks WHERE id = $1', [taskId]))
    .toEqual({ priority: 2, modified_by: 'alice' });
  expect(await sql.rows(`SELECT status, new_value, attempts FROM field_changes WHERE id = $1`, [changeId])).toEqual([
    { status: 'applied', new_value: '2', attempts: 2 },
  ]);
  // No spurious ALREADY_APPLIED: the second click found the change pending and wrote nothing.
  expect(await sql.rows(`SELECT code FROM rejections WHERE user_id = 'alice' AND row_id = $1`, [changeId])).toEqual([]);

  // A failed change can also be discarded: gone here and on the server; the task keeps its title.
  const blankId = await insertChange(alice, taskId, 'title', '   ');
  const blank = editor.locator(`[data-testid="field-change"][data-field="title"]`);
  await alice.waitIdle();
  await expect(blank).toHaveAttribute('data-status', 'failed');
  await blank.getByTestId('field-change-discard').click();
  await expect(blank).toHaveCount(0);
  await alice.waitIdle();
  await expect.poll(() => sql.rows('SELECT 1 FROM field_changes WHERE id = $1', [blankId])).toEqual([]);
  expect((await sql.one('SELECT title FROM tasks WHERE id = $1', [taskId])).title).toBe(title);
});
