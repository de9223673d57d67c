import type { Actor } from '@cr/strategies';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadRoute } from '../src/fastify/upload-route.ts';
import { crud, type TestEngine, testEngine, uuid } from './helpers.ts';
import { MEMBERS } from './workshop.ts';

let t: TestEngine;
let app: FastifyInstance;
const appErrors: unknown[] = [];

/** The adapter in a bare Fastify app whose auth takes `Bearer <member id>`. */
beforeAll(async () => {
  t = await testEngine();
  app = Fastify();
  app.setErrorHandler((error, _request, reply) => {
    appErrors.push(error);
    return reply.code(500).send({ error: { code: 'APP_ERROR', message: 'the app handled it' } });
  });
  await app.register(uploadRoute, {
    prefix: '/upload',
    handler: t.handler,
    bodyLimit: 64 * 1024,
    authenticate: async (request) => {
      const members: Record<string, Actor | undefined> = MEMBERS;
      const actor = members[String(request.headers.authorization).replace('Bearer ', '')];
      if (!actor) throw Object.assign(new Error('Sign in first.'), { statusCode: 401, code: 'MISSING_TOKEN' });
      return actor;
    },
  });
  app.get('/boom', async () => {
    throw new Error('not an upload');
  });
});
afterAll(async () => {
  await app?.close();
  await t?.close();
});

const post = (payload: unknown, user = 'mia') =>
  app.inject({
    method: 'POST',
    url: '/upload',
    headers: { authorization: `Bearer ${user}` },
    payload: payload as object,
  });

describe('the Fastify adapter', () => {
  it('applies an upload and answers the outcomes', async () => {
    const response = await post({
      client_id: 'fastify-mia',
      batch: [crud().put('notes', uuid(1), { title: 'Hi', version: 1 })],
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ outcomes: [{ op_id: 1, table: 'notes', id: uuid(1), status: 'applied' }] });
  });

  it('applies the multi-transaction form and answers the outcomes per transaction', async () => {
    const c = crud();
    const response = await post({
      client_id: 'fastify-mia-many',
      transactions: [
        { tx_id: 1, batch: [c.put('notes', uuid(2), { title: 'One', version: 1 })] },
        { tx_id: 2, batch: [c.patch('notes', uuid(2), { title: 'Two', version: 2 }, { version: 1 })] },
      ],
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      transactions: [
        { outcomes: [{ op_id: 1, table: 'notes', id: uuid(2), status: 'applied' }] },
        { outcomes: [{ op_id: 2, table: 'notes', id: uuid(2), status: 'applied' }] },
      ],
    });
    const invalid = await post({ client_id: 'x', transactions: [{ batch: [{ op: 'PUT' }] }] });
    expect([invalid.statusCode, invalid.json().error.code]).toEqual([400, 'INVALID_REQUEST']);
  });

  it('answers the transactions done and why it stopped when one keeps colliding', async () => {
    await t.sql(`CREATE FUNCTION collide() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'test collision' USING ERRCODE = 'deadlock_detected'; END $$;
      CREATE TRIGGER todos_collide BEFORE INSERT ON todos FOR EACH ROW EXECUTE FUNCTION collide();`);
    const c = crud();
    const response = await post({
      client_id: 'fastify-mia-stopped',
      transactions: [
        { batch: [c.put('notes', uuid(3), { title: 'Done', version: 1 })] },
        { batch: [c.put('todos', uuid(4), { text: 'Never', changed_at: '2026-11-22T11:00:00.000Z' })] },
      ],
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      transactions: [{ outcomes: [{ op_id: 1, table: 'notes', id: uuid(3), status: 'applied' }] }],
      stopped: {
        code: 'DATABASE_UNAVAILABLE',
        message: 'The database kept reporting a collision; the remaining transactions will be sent again.',
      },
    });
  });

  it('answers the contract’s errors itself: auth, unreadable, invalid, too large (after reading it all)', async () => {
    expect((await post({ client_id: 'x', batch: [] }, 'nobody')).json()).toEqual({
      error: { code: 'MISSING_TOKEN', message: 'Sign in first.' },
    });
    const notJson = await app.inject({
      method: 'POST',
      url: '/upload',
      headers: { authorization: 'Bearer mia', 'content-type': 'application/json' },
      payload: '{"client_id":',
    });
    expect([notJson.statusCode, notJson.json().error.code]).toEqual([400, 'INVALID_JSON']);
    const invalid = await post({ client_id: 'x', batch: [{ op: 'PUT' }] });
    expect([invalid.statusCode, invalid.json().error.code]).toEqual([400, 'INVALID_REQUEST']);
    const big = await post({ client_id: 'x', batch: [{ op_id: 1, data: { body: 'x'.repeat(100_000) } }] });
    expect([big.statusCode, big.json().error.code]).toEqual([413, 'BODY_TOO_LARGE']);
    const stolen = await post({ client_id: 'fastify-mia', batch: [] }, 'max');
    expect([stolen.statusCode, stolen.json().error.code]).toEqual([403, 'CLIENT_ID_IN_USE']);
    expect(appErrors).toEqual([]);
  });

  it('leaves other routes to the app’s error handler', async () => {
    expect((await app.inject({ method: 'GET', url: '/boom' })).json().error.code).toBe('APP_ERROR');
    expect(appErrors).toHaveLength(1);
  });
});
