import { deserialize } from 'bson';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type SyncHarness, startSync } from '../../test/sync-harness.ts';
import { openClient, type TestClient } from '../../test/test-client.ts';
import { waitFor } from '../../test/wait-for.ts';

/**
 * The SDK asks for BSON (and its fetch for gzip); a client that prefers ndjson still gets it. Both
 * real clients hold the same rows through inserts, updates and deletes.
 */
let sync: SyncHarness;
let bson: TestClient;
let ndjson: TestClient;
const DOC = '20000000-0000-4000-8000-000000000001';

beforeAll(async () => {
  sync = await startSync({ seed: true });
  await sync.ready();
  const token = () => sync.jwks.sign({ sub: 'alice', role: 'clerk' });
  bson = await openClient({ endpoint: sync.url, token });
  ndjson = await openClient({
    endpoint: sync.url,
    token,
    streamHeaders: { accept: 'application/x-ndjson', 'accept-encoding': 'identity' },
  });
  await Promise.all([bson.db.waitForFirstSync(), ndjson.db.waitForFirstSync()]);
});
afterAll(async () => {
  await bson?.close();
  await ndjson?.close();
  await sync?.close();
});

const documents = (client: TestClient) =>
  client.rows<{ id: string; title: string }>('SELECT id, title FROM documents ORDER BY id');

it('answers the SDK with gzipped BSON, and a client asking for ndjson with plain ndjson', async () => {
  expect(bson.responses[0]).toEqual({ contentType: 'application/vnd.powersync.bson-stream', contentEncoding: 'gzip' });
  expect(ndjson.responses[0]).toEqual({ contentType: 'application/x-ndjson', contentEncoding: null });
  expect(bson.linesOf('checkpoint')[0]).toEqual(ndjson.linesOf('checkpoint')[0]);
  const fromPostgres = await sync.sql.query<{ id: string; title: string }>(
    'SELECT id::text, title FROM documents ORDER BY id',
  );
  expect(await documents(bson)).toEqual(fromPostgres.rows);
  expect(await documents(ndjson)).toEqual(fromPostgres.rows);
});

it('delivers updates and deletes on both encodings', async () => {
  await sync.sql.query('UPDATE documents SET title = $1 WHERE id = $2', ['Renamed over BSON', DOC]);
  for (const client of [bson, ndjson]) {
    await waitFor(async () => (await documents(client)).some((d) => d.title === 'Renamed over BSON'), {
      message: 'the update',
    });
  }
  await sync.sql.query('DELETE FROM documents WHERE id = $1', [DOC]);
  const fromPostgres = await sync.sql.query<{ id: string; title: string }>(
    'SELECT id::text, title FROM documents ORDER BY id',
  );
  for (const client of [bson, ndjson]) {
    await waitFor(async () => JSON.stringify(await documents(client)) === JSON.stringify(fromPostgres.rows), {
      message: 'the delete',
    });
  }
  expect([...bson.logs, ...ndjson.logs].filter((l) => l.includes("Checksums didn't match"))).toEqual([]);
});

it('frames BSON as concatenated documents, op data as JSON strings, without compression when not asked', async () => {
  const response = await fetch(`${sync.url}/sync/stream`, {
    method: 'POST',
    headers: {
      authorization: `Token ${await sync.jwks.sign({ sub: 'alice', role: 'clerk' })}`,
      'content-type': 'application/json',
      accept: 'application/vnd.powersync.bson-stream',
      'accept-encoding': 'identity',
    },
    body: JSON.stringify({ buckets: [], raw_data: false, client_id: 'raw-bson' }),
  });
  expect(response.headers.get('content-type')).toBe('application/vnd.powersync.bson-stream');
  expect(response.headers.get('content-encoding')).toBeNull();
  expect(response.headers.get('vary')).toMatch(/Accept, Accept-Encoding$/);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  let bytes = Buffer.alloc(0);
  const lines: Record<string, unknown>[] = [];
  while (!lines.some((l) => 'checkpoint_complete' in l)) {
    const { value, done } = await reader.read();
    if (done) break;
    bytes = Buffer.concat([bytes, value]);
    while (bytes.length >= 4 && bytes.length >= bytes.readInt32LE(0)) {
      const length = bytes.readInt32LE(0);
      lines.push(deserialize(bytes.subarray(0, length)));
      bytes = bytes.subarray(length);
    }
  }
  await reader.cancel();
  expect(Object.keys(lines[0] ?? {})).toEqual(['token_expires_in']);
  expect(lines.some((l) => 'checkpoint' in l)).toBe(true);
  const ops = lines.flatMap((l) =>
    'data' in l ? (l.data as { data: { op_id: unknown; data?: unknown }[] }).data : [],
  );
  expect(ops.length).toBeGreaterThan(0);
  for (const op of ops) {
    expect(typeof op.op_id).toBe('string');
    if (op.data !== undefined) expect(typeof op.data).toBe('string'); // raw_data false is ignored in BSON
  }
});
