import { unique } from '../fixtures/sql.ts';
import { expect, test } from '../fixtures/test.ts';

/** A double-click or a double Enter is one action: one task, one restock, one version. */
test('double-clicks and double Enters: one task, one restock, one document version', async ({ openClient, sql }) => {
  const alice = await openClient('alice');

  const clicked = unique('Added with a double-click');
  await alice.page.getByTestId('new-task-title').fill(clicked);
  await alice.page.getByTestId('new-task-add').dblclick();
  const entered = unique('Added with a double Enter');
  await alice.page.getByTestId('new-task-title').fill(entered);
  await alice.page.getByTestId('new-task-title').press('Enter');
  await alice.page.getByTestId('new-task-title').press('Enter');
  await alice.waitIdle();
  await expect(alice.page.getByTestId('task-card').filter({ hasText: clicked })).toHaveCount(1);
  await expect(alice.page.getByTestId('task-card').filter({ hasText: entered })).toHaveCount(1);
  const titles = await sql.rows<{ title: string }>('SELECT title FROM tasks WHERE title = ANY($1)', [
    [clicked, entered],
  ]);
  expect(titles.map((row) => row.title).sort()).toEqual([clicked, entered].sort());
  // An empty title is refused where it is typed, not sent.
  await alice.page.getByTestId('new-task-title').fill('   ');
  await expect(alice.page.getByTestId('field-problem')).toHaveText('A task title cannot be blank.');

  const itemId = await sql.insertStock({ name: unique('Green mug'), quantity: 10 });
  await alice.goto('inventory');
  const stock = alice.card(itemId);
  await stock.getByTestId('restock-amount').fill('5');
  await stock.getByTestId('restock-submit').dblclick();
  await expect(stock.getByTestId('stock-quantity')).toHaveText('15');
  await alice.waitIdle();
  expect((await sql.one('SELECT quantity FROM inventory WHERE id = $1', [itemId])).quantity).toBe(15);

  const docId = await sql.insertDocument({ title: unique('Rota'), body: 'Mon: Alice' });
  await alice.goto('documents');
  const doc = alice.card(docId);
  await doc.getByTestId('document-edit').click();
  await doc.getByLabel('Text').fill('Mon: Alice and Bob');
  await doc.getByTestId('document-save').dblclick();
  await alice.waitIdle();
  await expect(doc.getByTestId('document-version')).toHaveText('v2');
  expect(await sql.one('SELECT body, version FROM documents WHERE id = $1', [docId])).toEqual({
    body: 'Mon: Alice and Bob',
    version: 2,
  });
  // The second click did not become an edit of version 1 again, i.e. a conflict with herself.
  expect(await sql.rows('SELECT 1 FROM write_conflicts WHERE row_id = $1', [docId])).toEqual([]);
  expect(
    await sql.rows(`SELECT code FROM rejections WHERE user_id = 'alice' AND row_id = ANY($1)`, [[docId, itemId]]),
  ).toEqual([]);
});
