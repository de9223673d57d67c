import { afterAll, beforeAll } from 'vitest';
import { type HarnessOptions, type SyncHarness, startSync } from './sync-harness.ts';
import { type ClientOptions, openClient, type TestClient } from './test-client.ts';

export interface SyncFixture {
  /** The file's service (set once `beforeAll` ran). */
  readonly sync: SyncHarness;
  /** Every client opened through the fixture; closed after the file. */
  readonly clients: TestClient[];
  /** Opens a client signed in as `sub` and waits for its first sync. */
  connect(sub: string, role?: string, options?: Partial<ClientOptions>): Promise<TestClient>;
  /** Opens a client with its own options (not waiting), closed after the file. */
  open(options: Omit<ClientOptions, 'endpoint'>): Promise<TestClient>;
}

/** One service per test file (by default on the seeded database) and the clients its tests open. */
export function useSync(options: HarnessOptions = { seed: true }): SyncFixture {
  let harness: SyncHarness | null = null;
  const clients: TestClient[] = [];
  beforeAll(async () => {
    harness = await startSync(options);
    await harness.ready();
  });
  afterAll(async () => {
    for (const client of clients) await client.close();
    await harness?.close();
  });
  const fixture: SyncFixture = {
    get sync() {
      if (!harness) throw new Error('the sync service is not started yet');
      return harness;
    },
    clients,
    async open(clientOptions) {
      const client = await openClient({ endpoint: fixture.sync.url, ...clientOptions });
      clients.push(client);
      return client;
    },
    async connect(sub, role = 'clerk', clientOptions = {}) {
      const client = await fixture.open({ token: () => fixture.sync.jwks.sign({ sub, role }), ...clientOptions });
      await client.db.waitForFirstSync();
      return client;
    },
  };
  return fixture;
}
