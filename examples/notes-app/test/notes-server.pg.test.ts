import type { AddressInfo } from 'node:net';
import type { ErrorResponse, OperationOutcome } from '@cr/connector-kit';
import { createTestDatabase } from '@cr/db/testing';
import { SignJWT } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { bearerAuth } from '../src/auth.ts';
import { createNotesServer } from '../src/server.ts';

/** The notes app as a client reaches it: HTTP to the plain Node server, rows in a real Postgres. */
const SECRET = 'a secret only the tests know';
let pool: pg.Pool;
let server: ReturnType<typeof createNotesServer>;
let url: string;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: await createTestDatabase(inject('pgCluster')) });
  server = createNotesServer({ pool, authenticate: bearerAuth(SECRET), bodyLimit: 64 * 1024 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/upload`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await pool?.end();
});

const token = (user: string, secret = SECRET) =>
  new SignJWT({ role: 'member' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(user)
    .setAudience('notes')
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(secret));

/** An answer of the upload contract: outcomes (200), or an error. */
type Answer = { outcomes: OperationOutcome[]; error: ErrorResponse['error'] };

async function upload(user: string, clientId: string, batch: unknown[], auth?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: auth ?? `Bearer ${await token(user)}` },
    body: JSON.stringify({ client_id: clientId, batch }),
  });
  return { status: response.status, body: (await response.json()) as Answer };
}

const NOTE = '6a000000-0000-4000-8000-000000000001';
const COUNTER = '6b000000-0000-4000-8000-000000000001';
const entry = (op_id: number, op: string, type: string, id: string, rest: Record<string, unknown> = {}) => ({
  op_id,
  op,
  type,
  id,
  tx_id: op_id,
  ...rest,
});

describe('notes under version numbers', () => {
  it('applies an edit of the current version, and records an edit of an old one as a conflict', async () => {
    const created = await upload('ana', 'ana-phone', [
      entry(1, 'PUT', 'notes', NOTE, { data: { title: 'Groceries', body: 'milk', version: 1 } }),
    ]);
    expect(created).toEqual({
      status: 200,
      body: { outcomes: [{ op_id: 1, table: 'notes', id: NOTE, status: 'applied' }] },
    });
    const edit = (op: number, body: string) =>
      entry(op, 'PATCH', 'notes', NOTE, { data: { body, version: 2 }, old: { version: 1 } });
    expect((await upload('ana', 'ana-phone', [edit(2, 'milk, eggs')])).body.outcomes[0]?.status).toBe('applied');
    const stale = await upload('ben', 'ben-laptop', [edit(1, 'milk, bread')]);
    expect(stale.body.outcomes[0]).toMatchObject({ status: 'conflict', code: 'VERSION_MISMATCH' });
    expect((await pool.query('SELECT body, version, owner_id, updated_by FROM notes')).rows).toEqual([
      { body: 'milk, eggs', version: 2, owner_id: 'ana', updated_by: 'ana' },
    ]);
    const conflicts = await pool.query(`SELECT user_id, client_values, status FROM write_conflicts`);
    expect(conflicts.rows).toEqual([
      { user_id: 'ben', client_values: { body: 'milk, bread', version: 2 }, status: 'open' },
    ]);

    // Ben keeps his version: applied over the server's, as version 3.
    const resolve = entry(2, 'PATCH', 'write_conflicts', String(stale.body.outcomes[0]?.conflict_id), {
      data: { status: 'resolved', resolution: 'mine' },
    });
    expect((await upload('ben', 'ben-laptop', [resolve])).body.outcomes[0]?.status).toBe('applied');
    expect((await pool.query('SELECT body, version FROM notes')).rows).toEqual([{ body: 'milk, bread', version: 3 }]);
  });
});

describe('counters under deltas', () => {
  it('counts two offline changes made from the same value, and refuses one that goes below zero', async () => {
    await upload('ana', 'ana-phone', [entry(3, 'PUT', 'counters', COUNTER, { data: { name: 'Cups', value: 10 } })]);
    const take = (op: number, n: number) =>
      entry(op, 'PATCH', 'counters', COUNTER, { data: { value: 10 - n }, old: { value: 10 } });
    expect((await upload('ana', 'ana-phone', [take(4, 3)])).body.outcomes[0]?.status).toBe('applied');
    expect((await upload('ben', 'ben-laptop', [take(3, 4)])).body.outcomes[0]?.status).toBe('applied');
    expect((await pool.query('SELECT value FROM counters')).rows).toEqual([{ value: 3 }]);
    const oversell = await upload('cam', 'cam-tablet', [take(1, 5)]);
    expect(oversell.body.outcomes[0]).toMatchObject({
      status: 'rejected',
      code: 'BELOW_MINIMUM',
      message: 'Only 3 left of Cups; cannot take 5.',
    });
    expect((await pool.query(`SELECT user_id, code FROM rejections`)).rows).toEqual([
      { user_id: 'cam', code: 'BELOW_MINIMUM' },
    ]);
  });

  it('applies a redelivered upload once', async () => {
    const batch = [entry(1, 'PATCH', 'counters', COUNTER, { data: {}, metadata: JSON.stringify({ delta: 2 }) })];
    const first = await upload('dee', 'dee-phone', batch);
    expect(await upload('dee', 'dee-phone', batch)).toEqual(first);
    expect((await pool.query('SELECT value FROM counters')).rows).toEqual([{ value: 5 }]);
  });
});

describe('requests the server does not take', () => {
  it('answers 401 without a valid token, 400 to what is not JSON, 413 to what is too large', async () => {
    expect((await upload('eve', 'x', [], 'Bearer nope')).status).toBe(401);
    expect((await upload('eve', 'x', [], `Bearer ${await token('eve', 'another secret')}`)).status).toBe(401);
    const notJson = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${await token('eve')}` },
      body: '{',
    });
    expect([notJson.status, ((await notJson.json()) as Answer).error.code]).toEqual([400, 'INVALID_JSON']);
    const big = await upload('eve', 'x', [entry(1, 'PUT', 'notes', NOTE, { data: { body: 'x'.repeat(100_000) } })]);
    expect([big.status, big.body.error.code]).toEqual([413, 'BODY_TOO_LARGE']);
    expect((await fetch(url.replace('/upload', '/other'))).status).toBe(404);
  });
});
