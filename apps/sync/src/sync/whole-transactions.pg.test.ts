import { afterAll, beforeAll, expect, it } from 'vitest';
import { type SyncHarness, startSync } from '../../test/sync-harness.ts';
import { openClient, type TestClient } from '../../test/test-client.ts';
import { waitFor } from '../../test/wait-for.ts';

/**
 * A client never shows part of a source transaction within one priority. The client core applies
 * a `partial_checkpoint_complete` by re-reading the rows that have new PUTs in those buckets;
 * REMOVEs only mark rows, applied at the next full `checkpoint_complete`. So a partial completion
 * after a group that removes rows would show the transaction's updates beside rows it deleted.
 *
 * Here one transaction deletes an order and edits a task (both priority 1, `team`) and records a
 * rejection for the reader (priority 3, `user_data`): the checkpoint has two priority groups. The
 * reader's stream is held just before `checkpoint_complete`, when the client has processed every
 * other line of the checkpoint, and its view must be all-old or all-new.
 */
const TASK = '10000000-0000-4000-8000-000000000001';
const ORDER = '50000000-0000-4000-8000-000000000001';

let sync: SyncHarness;
let reader: TestClient;
let hold: Promise<void> | null = null;
let release: () => void = () => {};

beforeAll(async () => {
  sync = await startSync({ seed: true });
  await sync.ready();
  reader = await openClient({
    endpoint: sync.url,
    token: () => sync.jwks.sign({ sub: 'bob', role: 'clerk' }),
    beforeLine: (line) => ('checkpoint_complete' in line && hold ? hold : undefined),
  });
  await reader.db.waitForFirstSync();
});
afterAll(async () => {
  release();
  await reader?.close();
  await sync?.close();
});

const view = async () =>
  (
    await reader.rows<{ title: string; orders: number }>(
      'SELECT (SELECT title FROM tasks WHERE id = ?) AS title, (SELECT count(*) FROM orders WHERE id = ?) AS orders',
      [TASK, ORDER],
    )
  )[0];

it('holds back a priority whose group removes rows until the whole checkpoint is there', async () => {
  hold = new Promise((resolve) => {
    release = resolve;
  });
  const linesBefore = reader.lines.length;
  const db = await sync.sql.connect();
  try {
    await db.query('BEGIN');
    await db.query('DELETE FROM orders WHERE id = $1', [ORDER]);
    await db.query(`UPDATE tasks SET title = 'Count the stock room (again)' WHERE id = $1`, [TASK]);
    await db.query(
      `INSERT INTO rejections (id, user_id, client_id, op_id, table_name, row_id, operation, code, message, created_at)
       VALUES (gen_random_uuid(), 'bob', 'c1', 1, 'orders', $1, 'PATCH', 'TEST', 'a rejection', now())`,
      [ORDER],
    );
    await db.query('COMMIT');
  } finally {
    db.release();
  }

  // Every line of the checkpoint but its completion has reached the client: the user_data data
  // (after any priority-1 completion) is in the client's oplog.
  const dataLine = await waitFor(
    () =>
      reader.lines
        .slice(linesBefore)
        .map((l) => l.line.data as { bucket: string; next_after: string } | undefined)
        .find((data) => data?.bucket.includes('user_data')),
    { message: 'the priority-3 data on the wire' },
  );
  await waitFor(
    async () =>
      (await reader.rows<{ last_op: number }>('SELECT last_op FROM ps_buckets WHERE name = ?', [dataLine.bucket]))[0]
        ?.last_op === Number(dataLine.next_after),
    { message: 'the client to store it' },
  );
  const during = await view();
  expect(during).toEqual({ title: 'Count the stock room', orders: 1 });

  release();
  await waitFor(async () => (await view())?.orders === 0, { message: 'the whole transaction after the completion' });
  expect(await view()).toEqual({ title: 'Count the stock room (again)', orders: 0 });
  const partials = reader.lines.slice(linesBefore).filter((l) => 'partial_checkpoint_complete' in l.line);
  expect(partials).toEqual([]);
});

it('still completes a priority early when its group only inserts and updates', async () => {
  // The client applied the last full completion (no uploads pending): nothing can be pending.
  hold = new Promise((resolve) => {
    release = resolve;
  });
  const linesBefore = reader.lines.length;
  const db = await sync.sql.connect();
  try {
    await db.query('BEGIN');
    await db.query(`UPDATE tasks SET title = 'Count the stock room (third time)' WHERE id = $1`, [TASK]);
    await db.query(`UPDATE inventory SET quantity = quantity + 1`);
    await db.query(
      `INSERT INTO rejections (id, user_id, client_id, op_id, table_name, row_id, operation, code, message, created_at)
       VALUES (gen_random_uuid(), 'bob', 'c1', 2, 'tasks', $1, 'PATCH', 'TEST', 'another rejection', now())`,
      [TASK],
    );
    await db.query('COMMIT');
  } finally {
    db.release();
  }
  // Applied at the partial completion, while checkpoint_complete is still held back.
  await waitFor(async () => (await view())?.title === 'Count the stock room (third time)', {
    message: 'priority 1 ahead of the rest',
  });
  expect(reader.lines.slice(linesBefore).some((l) => 'partial_checkpoint_complete' in l.line)).toBe(true);
  release();
});
