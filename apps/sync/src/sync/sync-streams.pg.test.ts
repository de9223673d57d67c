import { afterAll, beforeAll, expect, it } from 'vitest';
import { type SyncHarness, startSync } from '../../test/sync-harness.ts';
import { openClient, type TestClient } from '../../test/test-client.ts';
import { waitFor } from '../../test/wait-for.ts';

/**
 * Bucket definitions are default streams: the official service lists each of them in the
 * connection's first `checkpoint` (`streams`) and tags every bucket with why the connection has
 * it (`subscriptions`), and the client reports them in `currentStatus.syncStreams`.
 */
let sync: SyncHarness;
let client: TestClient;

beforeAll(async () => {
  sync = await startSync({ seed: true });
  await sync.ready();
  client = await openClient({ endpoint: sync.url, token: () => sync.jwks.sign({ sub: 'alice', role: 'clerk' }) });
  await client.db.waitForFirstSync();
});
afterAll(async () => {
  await client?.close();
  await sync?.close();
});

it('reports every bucket definition of the rules as a default stream, with the priority of its buckets', async () => {
  await waitFor(() => (client.db.currentStatus.syncStreams?.length ?? 0) > 0, { message: 'syncStreams' });
  const streams = (client.db.currentStatus.syncStreams ?? []).map((s) => ({
    name: s.subscription.name,
    isDefault: s.subscription.isDefault,
    active: s.subscription.active,
    priority: s.priority,
  }));
  expect(streams).toEqual([
    { name: 'team', isDefault: true, active: true, priority: 1 },
    { name: 'document_history', isDefault: true, active: true, priority: 2 },
    { name: 'clinical', isDefault: true, active: true, priority: null },
    { name: 'user_data', isDefault: true, active: true, priority: 3 },
    { name: 'review_queue', isDefault: true, active: true, priority: null },
  ]);
  expect(client.db.currentStatus.forStream({ name: 'team', parameters: null })?.subscription.hasSynced).toBe(true);

  const checkpoint = client.linesOf('checkpoint')[0] as { buckets: { bucket: string; subscriptions: unknown }[] };
  expect(checkpoint.buckets.map((b) => [b.bucket, b.subscriptions])).toEqual([
    ['1#team[]', [{ default: 0 }]],
    ['1#document_history[]', [{ default: 1 }]],
    ['1#user_data["alice"]', [{ default: 3 }]],
  ]);
});

it('completes each priority of the first checkpoint on a reconnect with nothing new, as the official service', async () => {
  await client.disconnect();
  const request = client.requests.length;
  await client.reconnect();
  await waitFor(() => client.lines.some((l) => l.request === request && 'checkpoint_complete' in l.line), {
    message: 'the checkpoint after reconnecting',
  });
  const kinds = client.lines.filter((l) => l.request === request).map((l) => Object.keys(l.line)[0]);
  expect(kinds.filter((k) => k !== 'token_expires_in')).toEqual([
    'checkpoint',
    'partial_checkpoint_complete',
    'partial_checkpoint_complete',
    'checkpoint_complete',
  ]);
  const partials = client.lines.filter((l) => l.request === request && 'partial_checkpoint_complete' in l.line);
  expect(partials.map((l) => l.line.partial_checkpoint_complete)).toMatchObject([{ priority: 1 }, { priority: 2 }]);
});
