import { expect, it } from 'vitest';
import type { TestClient } from '../../test/test-client.ts';
import { useSync } from '../../test/use-sync.ts';
import { waitFor } from '../../test/wait-for.ts';

/** How the official client reacts to the service's auth answers: it fetches new credentials. */
const fixture = useSync();
const inventory = (client: TestClient) =>
  client.rows<{ quantity: number }>(`SELECT quantity FROM inventory WHERE sku = 'CAP-RED'`);

it('makes a client with a short-lived token fetch a new one and keep syncing', async () => {
  let fetched = 0;
  const client = await fixture.open({
    token: () => {
      fetched += 1;
      return fixture.sync.jwks.sign({ sub: 'bob', expiresIn: 3 });
    },
  });
  await client.db.waitForFirstSync();
  await waitFor(() => fetched >= 3 && client.requests.length >= 3, {
    timeoutMs: 20_000,
    message: 'credentials to be fetched again as tokens expire',
  });
  await fixture.sync.sql.query(`UPDATE inventory SET quantity = 77 WHERE sku = 'CAP-RED'`);
  await waitFor(async () => (await inventory(client))[0]?.quantity === 77, { message: 'a change after the refresh' });
});

it('answers a bad token with 401, after which the client fetches a good one', async () => {
  const tokens = ['not-a-token', await fixture.sync.jwks.sign({ sub: 'carol', role: 'manager', aud: 'wrong' })];
  let fetched = 0;
  const client = await fixture.open({
    token: async () => {
      fetched += 1;
      return tokens.shift() ?? fixture.sync.jwks.sign({ sub: 'carol', role: 'manager' });
    },
  });
  await client.db.waitForFirstSync();
  expect(fetched).toBeGreaterThanOrEqual(3);
  expect(fixture.sync.logs.filter((line) => line.includes('401 POST /sync/stream')).length).toBeGreaterThanOrEqual(2);
  expect((await inventory(client)).length).toBe(1);
});
