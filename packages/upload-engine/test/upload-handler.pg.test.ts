import { judgeUpload } from '@cr/connector-kit';
import { freePort } from '@cr/db';
import type { Actor } from '@cr/strategies';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUploadHandler } from '../src/index.ts';
import { crud, type TestEngine, testEngine, uuid } from './helpers.ts';
import { MEMBERS, policy } from './workshop.ts';

let t: TestEngine;
beforeAll(async () => {
  t = await testEngine({ maxOperations: 50 });
});
afterAll(() => t?.close());

const { mia, max, val } = MEMBERS;

describe('createUploadHandler().handle: one client transaction, as the contract says', () => {
  it('applies a transaction in the database and answers an outcome per operation', async () => {
    const c = crud();
    const answer = await t.upload(mia, 'client-mia', [
      c.put('notes', uuid(1), { title: 'Plan', version: 1 }),
      c.put('counters', uuid(2), { label: 'Visits', value: 10 }),
      c.patch('notes', uuid(1), { body: 'Step 1', version: 2 }, { version: 1 }),
    ]);
    expect(answer).toEqual({
      status: 200,
      body: {
        outcomes: [
          { op_id: 1, table: 'notes', id: uuid(1), status: 'applied' },
          { op_id: 2, table: 'counters', id: uuid(2), status: 'applied' },
          { op_id: 3, table: 'notes', id: uuid(1), status: 'applied' },
        ],
      },
    });
    expect(await t.sql('SELECT title, body, version, updated_by FROM notes')).toEqual([
      { title: 'Plan', body: 'Step 1', version: 2, updated_by: 'mia' },
    ]);
  });

  it('applies a redelivered transaction once and answers it as before', async () => {
    const c = crud();
    const batch = [c.patch('counters', uuid(2), { value: 7 }, { value: 10 })];
    const first = await t.upload(max, 'client-max', batch);
    const again = await t.upload(max, 'client-max', batch);
    expect(again).toEqual(first);
    expect(await t.sql('SELECT value FROM counters')).toEqual([{ value: 7 }]);
    expect(t.handler.counters.replayed).toBe(1);
  });

  it('records what it refuses and what conflicts, for the user who sent it', async () => {
    const c = crud();
    const answer = await t.upload(max, 'client-max-2', [
      c.patch('notes', uuid(1), { body: 'Stale', version: 2 }, { version: 1 }),
      c.patch('counters', uuid(2), { value: -1 }, { value: 7 }),
      c.put('members', 'eve', {}),
    ]);
    expect(answer.status).toBe(200);
    expect('outcomes' in answer.body && answer.body.outcomes.map((o) => [o.status, o.code])).toEqual([
      ['conflict', 'VERSION_MISMATCH'],
      ['rejected', 'BELOW_MINIMUM'],
      ['rejected', 'READ_ONLY_TABLE'],
    ]);
    expect(await t.sql(`SELECT user_id, code FROM write_conflicts`)).toEqual([
      { user_id: 'max', code: 'VERSION_MISMATCH' },
    ]);
    expect(await t.sql(`SELECT user_id, code, message FROM rejections ORDER BY op_id`)).toEqual([
      { user_id: 'max', code: 'BELOW_MINIMUM', message: 'Only 7 left of Visits; cannot take 8.' },
      { user_id: 'max', code: 'READ_ONLY_TABLE', message: 'members is read-only for clients.' },
    ]);
  });

  it('refuses a role the policy does not let write, per operation', async () => {
    const answer = await t.upload(val, 'client-val', [crud().put('notes', uuid(3), { title: 'x', version: 1 })]);
    expect('outcomes' in answer.body && answer.body.outcomes[0]).toMatchObject({ code: 'TABLE_NOT_PERMITTED' });
    expect(await t.sql('SELECT id FROM notes WHERE id = $1', [uuid(3)])).toEqual([]);
  });
});

describe('requests that can never be accepted as sent', () => {
  it('answers 403 to a client id another user bound, 400 to what is not an upload, 413 over the limit', async () => {
    const one = [crud().put('notes', uuid(9), { title: 'x', version: 1 })];
    expect(await t.upload(max, 'client-mia', one)).toMatchObject({
      status: 403,
      body: { error: { code: 'CLIENT_ID_IN_USE' } },
    });
    expect(await t.handler.handle({ actor: mia, body: { batch: [] } })).toMatchObject({
      status: 400,
      body: { error: { code: 'INVALID_REQUEST' } },
    });
    expect(await t.handler.handleText({ actor: mia, text: '{"client_id":' })).toMatchObject({
      status: 400,
      body: { error: { code: 'INVALID_JSON' } },
    });
    expect(await t.upload(mia, 'client\u0000id', one)).toMatchObject({
      status: 400,
      body: { error: { code: 'INVALID_CLIENT_ID' } },
    });
    const tooMany = Array.from({ length: 51 }, (_, i) => ({ op_id: i + 1 }));
    expect(await t.upload(mia, 'client-mia', tooMany)).toMatchObject({
      status: 413,
      body: { error: { code: 'TOO_MANY_OPERATIONS' } },
    });
    expect(await t.sql('SELECT id FROM notes WHERE id = $1', [uuid(9)])).toEqual([]);
  });

  it('is judged by the connector kit as the contract says: shown as stuck, never resent silently', async () => {
    // The client side of the same contract: each answer above, as a connector using the kit sees it.
    const one = [crud().put('notes', uuid(10), { title: 'x', version: 1 })];
    const tooMany = Array.from({ length: 51 }, (_, i) => ({ op_id: i + 1 }));
    const ids = (entries: readonly { op_id: number }[]) => entries.map((entry) => entry.op_id);
    const verdict = async (user: Actor, clientId: string, entries: { op_id: number }[]) => {
      const answer = await t.upload(user, clientId, entries);
      return judgeUpload(answer.status, answer.body, ids(entries));
    };
    expect(await verdict(max, 'client-mia', one)).toMatchObject({ kind: 'stuck', code: 'CLIENT_ID_IN_USE' });
    expect(await verdict(mia, 'client-mia', tooMany)).toMatchObject({
      kind: 'stuck',
      code: 'TOO_MANY_OPERATIONS',
      message: expect.stringContaining('at most 50'),
    });
    expect(await verdict(mia, 'client\u0000id', one)).toMatchObject({ kind: 'stuck', code: 'INVALID_CLIENT_ID' });
    const text = await t.handler.handleText({ actor: mia, text: '{"client_id":' });
    expect(judgeUpload(text.status, text.body, [1])).toMatchObject({ kind: 'stuck', code: 'INVALID_JSON' });
    expect(await verdict(mia, 'client-mia', one)).toMatchObject({ kind: 'complete' });
  });

  it('answers 503 when the database is gone, and nothing was applied', async () => {
    const pool = new pg.Pool({ connectionString: `postgres://nobody:x@127.0.0.1:${await freePort()}/none` });
    const handler = createUploadHandler({ pool, policy });
    const body = { client_id: 'client-gone', batch: [crud().put('notes', uuid(5), { title: 'x', version: 1 })] };
    const answer = await handler.handle({ actor: mia, body });
    expect(answer).toMatchObject({ status: 503, body: { error: { code: 'DATABASE_UNAVAILABLE' } } });
    expect(judgeUpload(answer.status, answer.body, [1])).toMatchObject({ kind: 'retry' }); // the kit keeps it
    expect(handler.counters.failedRequests).toBe(1);
    await pool.end();
  });
});
