import { unique } from '../fixtures/sql.ts';
import { expect, test } from '../fixtures/test.ts';

/** The reviewer's banner: nothing moves under a still pointer, and the focus follows the work. */
test('a new conflict arriving never moves the button under the pointer; focus moves to the next conflict', async ({
  openClient,
  sql,
}) => {
  const taskA = await sql.insertTask({ title: unique('Banner A') });
  const taskB = await sql.insertTask({ title: unique('Banner B') });
  // In this order: the banner lists the oldest first (other scenarios' open conflicts come before).
  const first = await sql.insertConflict({ author: 'alice', taskId: taskA, title: unique('Edit') });
  const second = await sql.insertConflict({ author: 'bob', taskId: taskB, title: unique('Edit') });
  const rita = await openClient('rita');
  const card = (conflictId: string) => rita.page.locator(`[data-conflict-id="${conflictId}"]`);
  await rita.conflictCard(taskA);
  await expect(card(second)).toBeVisible();

  // The pointer rests on the first conflict's button.
  const keep = card(first).getByTestId('conflict-keep-server');
  // Other scenarios' open conflicts (a tall text conflict among them) may push it below the window.
  await keep.scrollIntoViewIfNeeded();
  const box = await keep.boundingBox();
  if (!box) throw new Error('no button');
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await rita.page.mouse.move(x, y);
  const under = () =>
    rita.page.evaluate(
      ([px, py]) => {
        const element = document.elementFromPoint(px as number, py as number);
        return {
          conflict: element?.closest('[data-conflict-id]')?.getAttribute('data-conflict-id') ?? null,
          button: element?.closest('button')?.getAttribute('data-testid') ?? null,
        };
      },
      [x, y],
    );
  expect(await under()).toEqual({ conflict: first, button: 'conflict-keep-server' });

  // A newer conflict arrives (newest conflicts used to be inserted on top): announced at the end.
  const newTask = await sql.insertTask({ title: unique('Banner new') });
  const third = await sql.insertConflict({ author: 'alice', taskId: newTask, title: unique('Edit') });
  await expect(rita.page.getByTestId('conflict-arrivals')).toContainText('1 new conflict arrived');
  expect(await under()).toEqual({ conflict: first, button: 'conflict-keep-server' });
  await expect(card(third)).toHaveCount(0);

  // A click where the pointer is resolves the conflict it was on; the card stays where it was.
  await rita.page.mouse.click(x, y);
  await expect(card(first)).toHaveAttribute('data-ended', 'server');
  await expect(rita.page.locator(`#conflict-${second}`)).toBeFocused();
  expect((await under()).conflict).toBe(first);
  expect((await under()).button).toBeNull();
  await rita.waitIdle();
  const statuses = await sql.rows<{ id: string; status: string }>(
    'SELECT id, status FROM write_conflicts WHERE id = ANY($1)',
    [[first, second, third]],
  );
  expect(Object.fromEntries(statuses.map((row) => [row.id, row.status]))).toEqual({
    [first]: 'resolved',
    [second]: 'open',
    [third]: 'open',
  });

  // Merge opens with the focus inside it; the new conflict joins at the end when asked for.
  await card(second).getByTestId('conflict-merge').click();
  await expect(card(second).locator('.merge-choice input').first()).toBeFocused();
  await rita.page.getByTestId('conflict-show-new').click();
  await expect(rita.page.getByTestId('conflict-card').last()).toHaveAttribute('data-conflict-id', third);
  await card(second).getByRole('button', { name: 'Back' }).click();
  await card(second).getByTestId('conflict-keep-server').click();
  await expect(rita.page.locator(`#conflict-${third}`)).toBeFocused();
  await card(third).getByTestId('conflict-keep-server').click();
  await expect(card(third)).toHaveAttribute('data-ended', 'server');
  await rita.waitIdle();
  await expect
    .poll(() =>
      sql.rows(`SELECT status FROM write_conflicts WHERE id = ANY($1) AND status = 'open'`, [[first, second, third]]),
    )
    .toEqual([]);
});
