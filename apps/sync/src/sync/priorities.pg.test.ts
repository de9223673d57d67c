import { afterAll, beforeAll, expect, it } from 'vitest';
import { directUploader } from '../../test/direct-uploader.ts';
import { type SyncHarness, startSync } from '../../test/sync-harness.ts';
import { openClient, type TestClient } from '../../test/test-client.ts';
import { waitFor } from '../../test/wait-for.ts';

/**
 * Bucket priorities as the client sees them: priority 0 data is applied at its
 * `partial_checkpoint_complete` even while local writes wait for upload; lower priorities wait
 * for the upload and its write checkpoint.
 */
const RULES = `
config:
  edition: 2
bucket_definitions:
  urgent:
    priority: 0
    data:
      - SELECT * FROM documents
  later:
    data:
      - SELECT * FROM inventory
`;
const DOC = '20000000-0000-4000-8000-000000000001';
const MUG = '40000000-0000-4000-8000-000000000001';
const TOTE = '40000000-0000-4000-8000-000000000004';

let sync: SyncHarness;
let client: TestClient;
let release: () => void = () => {};

beforeAll(async () => {
  sync = await startSync({ seed: true, syncRules: RULES });
  await sync.ready();
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  client = await openClient({
    endpoint: sync.url,
    token: () => sync.jwks.sign({ sub: 'alice' }),
    upload: directUploader(sync.sql, { gate: () => gate }),
  });
  await client.db.waitForFirstSync();
});
afterAll(async () => {
  release();
  await client?.close();
  await sync?.close();
});

const value = async (sql: string, id: string) => (await client.rows<{ v: unknown }>(sql, [id]))[0]?.v;

it('applies priority-0 data while an upload is pending, and the rest after it', async () => {
  expect(client.db.currentStatus.statusForPriority(0)?.hasSynced).toBe(true);
  await client.db.execute('UPDATE inventory SET name = ? WHERE id = ?', ['Blue mug (edited offline)', MUG]);

  await sync.sql.query(`UPDATE documents SET title = 'Urgent news' WHERE id = $1`, [DOC]);
  await sync.sql.query(`UPDATE inventory SET quantity = 99 WHERE id = $1`, [TOTE]);
  await waitFor(async () => (await value('SELECT title AS v FROM documents WHERE id = ?', DOC)) === 'Urgent news', {
    message: 'the priority-0 change despite the pending upload',
  });
  // The inventory change arrives too, but waits for the upload.
  const dataAt = () =>
    client.lines.findIndex((l) => 'data' in l.line && JSON.stringify(l.line).includes('\\"quantity\\":99'));
  await waitFor(() => dataAt() >= 0, { message: 'the inventory change on the wire' });
  await waitFor(() => client.lines.some((l, i) => i > dataAt() && 'checkpoint_complete' in l.line), {
    message: 'its completion',
  });
  expect(await value('SELECT quantity AS v FROM inventory WHERE id = ?', TOTE)).toBe(40);
  expect(client.linesOf('partial_checkpoint_complete').some((p) => p.priority === 0)).toBe(true);

  release();
  await waitFor(async () => (await value('SELECT quantity AS v FROM inventory WHERE id = ?', TOTE)) === 99, {
    message: 'the rest after the upload',
  });
  expect(await value('SELECT name AS v FROM inventory WHERE id = ?', MUG)).toBe('Blue mug (edited offline)');
});
