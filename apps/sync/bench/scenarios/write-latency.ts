import { freePort } from '@cr/db';
import type { AbstractPowerSyncDatabase } from '@powersync/common';
import { openClient, type TestClient } from '../../test/test-client.ts';
import { startApiChild, startSyncChild } from '../bench-stack.ts';
import { type BenchResult, below } from '../result.ts';
import { summarize } from '../stats.ts';

const READERS = ['bob', 'carol', 'dan', 'nina', 'rita', 'bob', 'carol', 'dan', 'nina', 'rita'];
const WARMUP = 3;
const ROUNDS = 40;
const THROTTLE_MS = 0;
const TASK = '10000000-0000-4000-8000-000000000003';

async function signIn(apiUrl: string, user: string): Promise<string> {
  const response = await fetch(`${apiUrl}/api/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user }),
  });
  if (!response.ok) throw new Error(`sign-in of ${user} failed: ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

/** The app's connector shape: one client transaction per `POST /api/data`, completed on 2xx. */
function uploader(apiUrl: string, token: () => Promise<string>): (db: AbstractPowerSyncDatabase) => Promise<void> {
  return async (db) => {
    const clientId = await db.getClientId();
    for (let tx = await db.getNextCrudTransaction(); tx; tx = await db.getNextCrudTransaction()) {
      const response = await fetch(`${apiUrl}/api/data`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await token()}` },
        body: JSON.stringify({ client_id: clientId, batch: tx.crud.map((entry) => entry.toJSON()) }),
      });
      if (!response.ok) throw new Error(`upload failed: ${response.status} ${await response.text()}`);
      const { outcomes } = (await response.json()) as { outcomes: { status: string; code?: string }[] };
      const refused = outcomes.filter((o) => o.status !== 'applied' && o.status !== 'merged');
      if (refused.length > 0) throw new Error(`upload not applied: ${JSON.stringify(refused)}`);
      await tx.complete();
    }
  };
}

/**
 * One Node client edits a task; the edit goes through the real upload API (`POST /api/data`) into
 * Postgres, through replication and the sync service, into 10 other connected Node clients. Time
 * from the local write until each reader's local table shows it. Both services run as processes.
 */
export async function writeLatencyBench(database: () => Promise<string>): Promise<BenchResult[]> {
  const databaseUrl = await database();
  const [apiPort, syncPort] = [await freePort(), await freePort()];
  const api = await startApiChild(databaseUrl, `http://127.0.0.1:${syncPort}`, apiPort);
  const sync = await startSyncChild(databaseUrl, `${api.url}/api/auth/keys`, syncPort);
  const clients: TestClient[] = [];
  try {
    const token = () => signIn(api.url, 'alice');
    const writer = await openClient({
      endpoint: sync.url,
      token,
      upload: uploader(api.url, token),
      crudUploadThrottleMs: THROTTLE_MS,
      record: false,
    });
    clients.push(writer);
    const seen: Map<string, number>[] = [];
    for (const user of READERS) {
      const reader = await openClient({ endpoint: sync.url, token: () => signIn(api.url, user), record: false });
      clients.push(reader);
      const times = new Map<string, number>();
      seen.push(times);
      reader.db.watch(
        'SELECT title FROM tasks WHERE id = ?',
        [TASK],
        {
          onResult: (result) => {
            const title = (result.rows?._array[0] as { title?: string } | undefined)?.title;
            if (title && !times.has(title)) times.set(title, performance.now());
          },
        },
        { throttleMs: 0 },
      );
    }
    await Promise.all(clients.map((c) => c.db.waitForFirstSync()));

    const samples: number[] = [];
    const roundTrip: number[] = [];
    for (let round = 0; round < WARMUP + ROUNDS; round++) {
      const title = `Edited by alice, round ${round}`;
      const started = performance.now();
      await writer.db.execute('UPDATE tasks SET title = ?, modified_at = ? WHERE id = ?', [
        title,
        new Date().toISOString(),
        TASK,
      ]);
      const deadline = Date.now() + 15_000;
      while (seen.some((times) => !times.has(title))) {
        if (Date.now() > deadline) throw new Error(`round ${round}: not every reader saw the edit`);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      while ((await writer.rows('SELECT 1 FROM ps_crud')).length > 0) {
        if (Date.now() > deadline) throw new Error(`round ${round}: the upload did not complete`);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      if (round < WARMUP) continue;
      for (const times of seen) samples.push((times.get(title) ?? 0) - started);
      roundTrip.push(performance.now() - started);
    }
    const stats = summarize(samples);
    return [
      {
        scenario: 'write-latency',
        metric: 'write-to-visible latency through the API into 10 clients, p50 (ms)',
        value: stats.p50,
        unit: 'ms',
        ...below(stats.p50, 100),
        details: { ...stats, crudUploadThrottleMs: THROTTLE_MS, rounds: ROUNDS, readers: READERS.length },
      },
      {
        scenario: 'write-latency',
        metric: 'write-to-visible latency through the API into 10 clients, p95 (ms)',
        value: stats.p95,
        unit: 'ms',
        ...below(stats.p95, 250),
        details: { writerQueueEmptyAfter: summarize(roundTrip) },
      },
    ];
  } finally {
    for (const client of clients) await client.close();
    await sync.stop();
    await api.stop();
  }
}
