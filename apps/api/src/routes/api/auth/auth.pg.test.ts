import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../../../../test/helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ env: { POWERSYNC_URL: 'http://127.0.0.1:9999/' } });
});
afterAll(() => t.close());

describe('/api/auth', () => {
  it('lists the demo users with their roles', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/auth/users' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(
      expect.arrayContaining([
        { id: 'alice', name: 'Alice Adams', role: 'clerk' },
        { id: 'carol', name: 'Carol Chen', role: 'manager' },
        { id: 'dan', name: 'Dr. Dan Diaz', role: 'doctor' },
        { id: 'nina', name: 'Nina Novak', role: 'nurse' },
        { id: 'rita', name: 'Rita Ruiz', role: 'reviewer' },
      ]),
    );
  });

  it('signs a token the published JWKS verifies, with sub, role, aud, iat, exp and kid', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/auth/token', payload: { user: 'nina' } });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ powersync_url: 'http://127.0.0.1:9999', user: { id: 'nina', role: 'nurse' } });
    const jwks = (await t.app.inject({ method: 'GET', url: '/api/auth/keys' })).json();
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).not.toHaveProperty('d');
    const { payload } = await jwtVerify(body.token, createLocalJWKSet(jwks), { audience: 'powersync' });
    expect(payload).toMatchObject({ sub: 'nina', role: 'nurse', aud: 'powersync' });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(3600);
    expect(new Date(body.expires_at).getTime()).toBe((payload.exp ?? 0) * 1000);
    expect(decodeProtectedHeader(body.token)).toMatchObject({ alg: 'ES256', kid: jwks.keys[0].kid });
  });

  it('refuses a user that does not exist', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/auth/token', payload: { user: 'mallory' } });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('UNKNOWN_USER');
  });

  it('answers 404, not 500, for a user id the database cannot hold (a NUL, half an emoji)', async () => {
    for (const user of ['alice\u0000', 'ali\ud800ce', '../alice']) {
      const response = await t.app.inject({ method: 'POST', url: '/api/auth/token', payload: { user } });
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe('UNKNOWN_USER');
    }
  });

  it('can be switched off for production', async () => {
    const off = await testApp({ env: { ENABLE_DEV_TOKENS: 'false' } });
    try {
      const response = await off.app.inject({ method: 'POST', url: '/api/auth/token', payload: { user: 'alice' } });
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('DEV_TOKENS_DISABLED');
    } finally {
      await off.close();
    }
  });
});
