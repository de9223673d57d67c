import { unique } from '../fixtures/sql.ts';
import { expect, test } from '../fixtures/test.ts';

test('an invalid tracked change fails with its reason; corrected and retried, it is applied', async ({
  openClient,
  sql,
}) => {
  const title = unique('Sweep the loading bay');
  const taskId = await sql.insertTask({ title, priority: 3 });
  const alice = await openClient('alice');
  const card = alice.card(taskId);
  await expect(card).toContainText(title);

  // Made offline: the editor records the change and shows it pending, on top of the task.
  await alice.offline();
  await card.getByTestId('task-open-editor').click();
  const editor = alice.page.getByTestId('task-editor');
  await editor.getByLabel('Priority (1–5)').fill('9');
  await editor.getByTestId('task-editor-save').click();
  const change = editor.locator('[data-testid="field-change"][data-field="priority"]');
  await expect(change).toHaveAttribute('data-status', 'pending');
  await expect(card.getByTestId('task-priority')).toHaveText('P9');
  await expect(card.getByText('pending')).toBeVisible();

  // Online: the server's worker refuses the value, with the reason; the task keeps its priority.
  await alice.online();
  await alice.waitIdle();
  await expect(change).toHaveAttribute('data-status', 'failed');
  await expect(change.getByTestId('field-change-reason')).toContainText('priority');
  await expect(card.getByTestId('task-priority')).toHaveText('P3');
  const failed = await sql.one(
    `SELECT status, error_code, error_message FROM field_changes WHERE row_id = $1 AND field_name = 'priority'`,
    [taskId],
  );
  expect(failed.status).toBe('failed');
  expect(failed.error_message).toMatch(/priority/i);
  expect((await sql.one('SELECT priority FROM tasks WHERE id = $1', [taskId])).priority).toBe(3);

  // Corrected and retried: applied, and the task has the value.
  await change.getByTestId('field-change-value').fill('2');
  await change.getByTestId('field-change-retry').click();
  await alice.waitIdle();
  await expect(change).toHaveAttribute('data-status', 'applied');
  await expect(card.getByTestId('task-priority')).toHaveText('P2');
  await expect
    .poll(() => sql.one('SELECT priority, modified_by FROM tasks WHERE id = $1', [taskId]))
    .toEqual({ priority: 2, modified_by: 'alice' });
  expect(await sql.rows(`SELECT status, new_value, attempts FROM field_changes WHERE row_id = $1`, [taskId])).toEqual([
    { status: 'applied', new_value: '2', attempts: 2 },
  ]);
});
