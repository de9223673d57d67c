import { afterAll, beforeAll, expect, it } from 'vitest';
import { directUploader } from '../../test/direct-uploader.ts';
import { type SyncHarness, startSync } from '../../test/sync-harness.ts';
import { openClient, type TestClient } from '../../test/test-client.ts';
import { waitFor } from '../../test/wait-for.ts';

/**
 * Causal consistency with local writes (docs/powersync-protocol.md §5): while a client has
 * uploads pending it applies no downloaded checkpoint; once its upload is in Postgres and a
 * checkpoint carries its write checkpoint, it applies everything at once.
 */
let sync: SyncHarness;
let client: TestClient;
let openGate: () => void = () => {};

const TASK = '10000000-0000-4000-8000-000000000001';
const DOC = '20000000-0000-4000-8000-000000000002';

beforeAll(async () => {
  sync = await startSync({ seed: true });
  await sync.ready();
  const gate = new Promise<void>((resolve) => {
    openGate = resolve;
  });
  client = await openClient({
    endpoint: sync.url,
    token: () => sync.jwks.sign({ sub: 'alice', role: 'clerk' }),
    upload: directUploader(sync.sql, {
      gate: () => gate,
      // The server has its say on every uploaded task: the client must end up with this version.
      afterApply: async (db, entry) => {
        if (entry.table === 'tasks') {
          await db.query(`UPDATE tasks SET description = 'checked by the server' WHERE id = $1`, [entry.id]);
        }
      },
    }),
  });
  await client.db.waitForFirstSync();
});
afterAll(async () => {
  openGate();
  await client?.close();
  await sync?.close();
});

const title = async (table: string, id: string) =>
  (await client.rows<{ title: string }>(`SELECT title FROM ${table} WHERE id = ?`, [id]))[0]?.title;

it('holds downloaded data back while an upload is pending, then applies it with the write checkpoint', async () => {
  // Every state the task goes through on the client, in order.
  const seen: string[] = [];
  const watching = new AbortController();
  client.db.watch(
    'SELECT title, description FROM tasks WHERE id = ?',
    [TASK],
    {
      onResult: (result) => {
        const row = result.rows?._array[0] as { title: string; description: string } | undefined;
        const state = row ? `${row.title} / ${row.description}` : 'missing';
        if (seen[seen.length - 1] !== state) seen.push(state);
      },
    },
    { signal: watching.signal, throttleMs: 0 },
  );
  await waitFor(() => seen.length > 0, { message: 'the watch' });

  await client.db.execute('UPDATE tasks SET title = ? WHERE id = ?', ['Edited offline', TASK]);
  expect(await title('tasks', TASK)).toBe('Edited offline');

  // Someone else changes a document while alice's upload is stuck.
  await sync.sql.query('UPDATE documents SET title = $1 WHERE id = $2', ['Changed on the server', DOC]);
  const dataAt = () => client.lines.findIndex((l) => 'data' in l.line && JSON.stringify(l.line).includes('Changed on'));
  await waitFor(() => dataAt() >= 0, { message: 'the server change to reach the client' });
  await waitFor(() => client.lines.some((l, i) => i > dataAt() && 'checkpoint_complete' in l.line), {
    message: 'its checkpoint to complete',
  });
  // The checkpoint is complete on the wire, but the client must not apply it yet.
  expect(await title('documents', DOC)).toBe('Returns policy');
  expect((await client.rows('SELECT * FROM ps_crud')).length).toBe(1);

  openGate();
  await waitFor(async () => (await title('documents', DOC)) === 'Changed on the server', {
    message: 'the held-back change to be applied',
  });
  await waitFor(() => seen[seen.length - 1] === 'Edited offline / checked by the server', {
    message: "the server's version of the task",
  });
  watching.abort();
  // The local edit stayed visible until the server's version replaced it: never the stale row in between.
  expect(seen).toEqual([
    'Count the stock room / Full count before the quarterly report.',
    'Edited offline / Full count before the quarterly report.',
    'Edited offline / checked by the server',
  ]);
  expect((await client.rows('SELECT * FROM ps_crud')).length).toBe(0);
  const server = await sync.sql.query('SELECT title FROM tasks WHERE id = $1', [TASK]);
  expect(server.rows[0]?.title).toBe('Edited offline');

  const withWriteCheckpoint = client.linesOf('checkpoint_diff').filter((d) => d.write_checkpoint !== undefined);
  expect(withWriteCheckpoint.length).toBeGreaterThan(0);
  expect(client.requests).toHaveLength(1);
});

it('keeps applying later server changes once the queue is empty', async () => {
  await sync.sql.query('UPDATE documents SET title = $1 WHERE id = $2', ['Changed again', DOC]);
  await waitFor(async () => (await title('documents', DOC)) === 'Changed again', { message: 'the next change' });
});

it('round-trips a row created on the client', async () => {
  const id = '10000000-0000-4000-8000-0000000000bb';
  const now = new Date().toISOString();
  await client.db.execute(
    `INSERT INTO tasks (id, title, description, status, priority, created_by, created_at, modified_at, modified_by)
     VALUES (?, 'Made on the client', '', 'todo', 2, 'alice', ?, ?, 'alice')`,
    [id, now, now],
  );
  await waitFor(async () => (await sync.sql.query('SELECT 1 FROM tasks WHERE id = $1', [id])).rowCount === 1, {
    message: 'the upload',
  });
  await waitFor(async () => (await client.rows('SELECT * FROM ps_crud')).length === 0);
  // The row now comes from the server: its timestamp in the server's rendering.
  await waitFor(
    async () =>
      /\.\d{6}Z$/.test(
        (await client.rows<{ created_at: string }>('SELECT created_at FROM tasks WHERE id = ?', [id]))[0]?.created_at ??
          '',
      ),
    { message: 'the server version of the row' },
  );
});
