import { freePort } from '@cr/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crud, IDS } from '../../../../test/helpers.ts';
import { buildApp } from '../../../app.ts';
import { loadConfig } from '../../../env.ts';

let app: Awaited<ReturnType<typeof buildApp>>;
beforeAll(async () => {
  const port = await freePort(); // nothing listens there: the database is "down"
  app = await buildApp({
    config: loadConfig({ DATABASE_URL: `postgres://postgres:postgres@127.0.0.1:${port}/none` }),
    startWorker: false,
  });
  await app.ready();
});
afterAll(() => app.close());

describe('when the database is down', () => {
  it('answers 503 to an upload, so the client keeps the transaction and retries', async () => {
    const { token } = await app.auth.sign({ id: 'alice', name: 'Alice', role: 'clerk' });
    const response = await app.inject({
      method: 'POST',
      url: '/api/data',
      headers: { authorization: `Bearer ${token}` },
      payload: {
        client_id: 'down',
        batch: [crud().tx().patch('inventory', IDS.mug, { quantity: 9 }, { quantity: 10 })],
      },
    });
    expect(response.statusCode).toBe(503);
    expect(response.json().error.code).toBe('DATABASE_UNAVAILABLE');
  });

  it('reports itself degraded', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ status: 'degraded', database: 'unreachable' });
  });
});
