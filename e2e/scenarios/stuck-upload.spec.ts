import { readFile } from 'node:fs/promises';
import { unique } from '../fixtures/sql.ts';
import { expect, test } from '../fixtures/test.ts';
import { E2E_MAX_OPERATIONS } from '../stack/stack-env.ts';

const TOO_MANY = E2E_MAX_OPERATIONS + 1; // one more operation than the stack's API accepts in one upload

test('a transaction the server will never accept is shown, exported and discarded; the changes behind it upload', async ({
  openClient,
  sql,
}) => {
  const alice = await openClient('alice');
  // The browser logs the refused request; that 413 is this scenario's subject, not a fault.
  alice.allowConsoleErrors(/status of 413/);
  const prefix = unique('Bulk task');
  const after = unique('Made after the bulk import');
  // One local transaction of too many inserts (a bulk import), then an ordinary edit behind it.
  await alice.page.evaluate(
    async ({ prefix, after, count }) => {
      const now = new Date().toISOString();
      await window.__cr?.execute(
        `INSERT INTO tasks (id, title, description, status, priority, created_by, created_at, modified_at, modified_by)
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
         SELECT uuid(), ? || ' ' || i, '', 'todo', 3, 'alice', ?, ?, 'alice' FROM n`,
        [count, prefix, now, now],
      );
      await window.__cr?.execute(
        `INSERT INTO tasks (id, title, description, status, priority, created_by, created_at, modified_at, modified_by)
         VALUES (uuid(), ?, '', 'todo', 3, 'alice', ?, ?, 'alice')`,
        [after, now, now],
      );
    },
    { prefix, after, count: TOO_MANY },
  );

  // Shown, with the server's reason, instead of retried silently; nothing reached Postgres.
  // (Uploading a thousand operations takes a moment on a busy machine: wait for the answer first.)
  const stuck = await alice.waitFor(
    (s) => s.lastUploadError?.includes('TOO_MANY_OPERATIONS') === true,
    'the upload refused as too large',
    60_000,
  );
  expect(stuck.pendingUploads).toBe(TOO_MANY + 1);
  const notice = alice.page.getByTestId('stuck-upload');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText(`${TOO_MANY} changes made together cannot be uploaded`);
  await expect(alice.page.getByTestId('stuck-upload-reason')).toContainText(`at most ${E2E_MAX_OPERATIONS}`);
  const titled = (title: string) => sql.rows('SELECT id FROM tasks WHERE title LIKE $1', [`${title}%`]);
  expect(await titled(prefix)).toEqual([]);
  expect(await titled(after)).toEqual([]);

  // Export: the operations exactly as they would be uploaded, and why they were refused.
  const [download] = await Promise.all([
    alice.page.waitForEvent('download'),
    alice.page.getByTestId('stuck-upload-export').click(),
  ]);
  const exported = JSON.parse(await readFile((await download.path()) as string, 'utf8'));
  expect(exported.refused.code).toBe('TOO_MANY_OPERATIONS');
  expect(exported.operations).toHaveLength(TOO_MANY);
  expect(exported.operations[0]).toMatchObject({ op: 'PUT', type: 'tasks', data: { title: `${prefix} 1` } });

  // Discard (confirmed): the queue flows again, the later edit uploads, the bulk never does.
  await alice.page.getByTestId('stuck-upload-discard').click();
  await alice.page.getByTestId('stuck-upload-confirm-discard').click();
  await expect(notice).toHaveCount(0);
  await alice.waitIdle();
  expect(await titled(after)).toHaveLength(1);
  expect(await titled(prefix)).toEqual([]);
  await expect
    .poll(async () =>
      alice.page.evaluate(
        async (p) =>
          (await window.__cr?.getAll('SELECT count(*) AS n FROM tasks WHERE title LIKE ?', [`${p}%`]))?.[0]?.n,
        prefix,
      ),
    )
    .toBe(0);
});
