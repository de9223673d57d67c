import { importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { crud, IDS, snapshot, type TestApp, testApp } from '../../../../test/helpers.ts';
import { generateSigningKeys } from '../../../plugins/app/keys.ts';

let t: TestApp;
let before: Awaited<ReturnType<typeof snapshot>>;
beforeAll(async () => {
  t = await testApp({ env: { API_BODY_LIMIT: '65536' } });
});
afterAll(() => t.close());
beforeEach(async () => {
  before = await snapshot(t);
});

async function expectUntouched() {
  expect(await snapshot(t)).toEqual(before);
}

describe('bad input: a clear error or a recorded rejection, and nothing else changes', () => {
  it.each([
    ['an unknown table', { op: 'PUT', type: 'secrets', id: IDS.task, data: { a: 1 } }, 'UNKNOWN_TABLE'],
    [
      'SQL in a table name',
      { op: 'PATCH', type: "tasks\" SET title = 'x'; --", id: IDS.task, data: {} },
      'UNKNOWN_TABLE',
    ],
    ['an unknown column', { op: 'PATCH', type: 'tasks', id: IDS.task, data: { owner: 'x' } }, 'UNKNOWN_COLUMN'],
    [
      'SQL in a column name',
      {
        op: 'PATCH',
        type: 'tasks',
        id: IDS.task,
        data: { 'title" = \'pwned\', "status': 'done' },
        old: { modified_at: 'x' },
      },
      'UNKNOWN_COLUMN',
    ],
    [
      'a wrong type',
      { op: 'PATCH', type: 'orders', id: IDS.pendingOrder, data: { quantity: 'lots' } },
      'INVALID_VALUE',
    ],
    [
      'a missing id',
      { op: 'PUT', type: 'tasks', data: { title: 'x', modified_at: '2026-11-22T10:00:00Z' } },
      'INVALID_ID',
    ],
    ['an id made of SQL', { op: 'DELETE', type: 'tasks', id: "1' OR '1'='1" }, 'INVALID_ID'],
    [
      'an update of a deleted row',
      { op: 'PATCH', type: 'orders', id: '50000000-0000-4000-8000-0000000000ff', data: { customer: 'Ghost' } },
      'ROW_NOT_FOUND',
    ],
    [
      'a role writing what it may not',
      { op: 'PATCH', type: 'patients', id: IDS.patient, data: { diagnosis: 'x' } },
      'TABLE_NOT_PERMITTED',
    ],
    [
      'a client setting manager approval',
      { op: 'PATCH', type: 'orders', id: IDS.pendingOrder, data: { manager_approved: true } },
      'UNKNOWN_COLUMN',
    ],
  ])('records %s as a rejection (2xx), changing nothing else', async (_, entry, code) => {
    const result = await t.upload('alice', `bad-${code}-${Math.random()}`, [{ op_id: 1, tx_id: 1, ...entry }]);
    expect(result.status).toBe(200);
    expect(result.body.outcomes).toEqual([
      expect.objectContaining({ op_id: 1, status: 'rejected', code, message: expect.any(String) }),
    ]);
    await expectUntouched();
    const [recorded] = await t.sql(
      `SELECT user_id, code FROM rejections WHERE code = $1 ORDER BY created_at DESC LIMIT 1`,
      [code],
    );
    expect(recorded).toEqual({ user_id: 'alice', code });
  });

  it('answers 400 to malformed JSON', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/data',
      headers: { authorization: `Bearer ${await t.token('alice')}`, 'content-type': 'application/json' },
      payload: '{"client_id": "x", "batch": [',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: { code: 'INVALID_JSON', message: 'The request body is not valid JSON.' },
    });
    await expectUntouched();
  });

  it('answers 400 to a request without client id or with an entry without op_id', async () => {
    for (const payload of [{ batch: [] }, { client_id: 'x', batch: [{ op: 'PUT' }] }]) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/data',
        headers: { authorization: `Bearer ${await t.token('alice')}` },
        payload,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('INVALID_REQUEST');
    }
    await expectUntouched();
  });

  it('answers 413 to an oversized body', async () => {
    const huge = crud()
      .tx()
      .patch('tasks', IDS.task, { description: 'x'.repeat(70_000) });
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/data',
      headers: { authorization: `Bearer ${await t.token('alice')}` },
      payload: { client_id: 'big', batch: [huge] },
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('BODY_TOO_LARGE');
    await expectUntouched();
  });

  describe('tokens', () => {
    const upload = (authorization?: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/data',
        headers: authorization ? { authorization } : {},
        payload: {
          client_id: 'tok',
          batch: [crud().tx().patch('inventory', IDS.mug, { quantity: 0 }, { quantity: 10 })],
        },
      });

    async function signed(claims: Record<string, unknown>, key = t.privateJwk) {
      const privateKey = await importJWK(key, 'ES256');
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ role: 'clerk', ...claims })
        .setProtectedHeader({ alg: 'ES256', kid: t.privateJwk.kid as string })
        .setSubject('alice')
        .setAudience((claims.aud as string) ?? 'powersync')
        .setIssuedAt((claims.iat as number) ?? now - 7200)
        .setExpirationTime((claims.exp as number) ?? now + 3600)
        .sign(privateKey);
    }

    it.each([
      ['missing', async () => undefined, 'MISSING_TOKEN'],
      ['not a bearer token', async () => 'Basic YWxpY2U6c2VjcmV0', 'INVALID_TOKEN'],
      ['expired', async () => `Bearer ${await signed({ exp: Math.floor(Date.now() / 1000) - 120 })}`, 'TOKEN_EXPIRED'],
      [
        'signed with another key',
        async () => `Bearer ${await signed({}, (await generateSigningKeys()).privateJwk)}`,
        'INVALID_TOKEN',
      ],
      ['for another audience', async () => `Bearer ${await signed({ aud: 'someone-else' })}`, 'INVALID_TOKEN'],
      ['with a role that does not exist', async () => `Bearer ${await signed({ role: 'admin' })}`, 'INVALID_TOKEN'],
      [
        'valid for a year (the sync service accepts at most a day)',
        async () => {
          const now = Math.floor(Date.now() / 1000);
          return `Bearer ${await signed({ iat: now - 60, exp: now + 365 * 86_400 })}`;
        },
        'INVALID_TOKEN',
      ],
      [
        'issued in the future',
        async () => {
          const now = Math.floor(Date.now() / 1000);
          return `Bearer ${await signed({ iat: now + 3600, exp: now + 7200 })}`;
        },
        'INVALID_TOKEN',
      ],
    ])('answers 401 to a token that is %s', async (_, header, code) => {
      const response = await upload(await header());
      expect(response.statusCode).toBe(401);
      expect(response.json().error.code).toBe(code);
      await expectUntouched();
    });
  });
});
