import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, JwksServer } from '../../test/jwks-server.ts';
import { AuthError, AuthErrorCode, tokenFromHeader } from './auth-error.ts';
import { createTokenVerifier, type TokenVerifier } from './jwt-verifier.ts';

let jwks: JwksServer;
let verify: TokenVerifier;

beforeAll(async () => {
  jwks = await JwksServer.start();
  verify = createTokenVerifier({ jwksUrl: jwks.url, audience: 'powersync', refetchCooldownMs: 0 });
});
afterAll(() => jwks.close());

async function failure(token: Promise<string> | string, check = verify): Promise<string> {
  try {
    await check(await token);
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    return (error as AuthError).code;
  }
  throw new Error('the token was accepted');
}

describe('token verification against the API JWKS URL', () => {
  it('accepts the API token shape and returns the user and claims', async () => {
    const result = await verify(await jwks.sign({ sub: 'dan', role: 'doctor' }));
    expect(result.userId).toBe('dan');
    expect(result.claims).toMatchObject({ sub: 'dan', role: 'doctor', aud: 'powersync' });
    expect(result.expiresAt).toBeGreaterThan(Date.now() + 3_500_000);
    expect(jwks.requests).toBeGreaterThan(0); // fetched from /api/auth/keys
  });

  it('rejects expired tokens, beyond the 60 s clock tolerance', async () => {
    expect(await failure(jwks.sign({ expiresIn: -120 }))).toBe(AuthErrorCode.expired);
    await verify(await jwks.sign({ expiresIn: -30 })); // within tolerance
  });

  it('rejects another audience', async () => {
    expect(await failure(jwks.sign({ aud: 'someone-else' }))).toBe(AuthErrorCode.wrongAudience);
  });

  it('rejects a lifetime over one day', async () => {
    const iat = Math.floor(Date.now() / 1000) - 60;
    expect(await failure(jwks.sign({ iat, expiresIn: 86_400 }))).toBe(AuthErrorCode.lifetimeTooLong);
  });

  it('rejects tokens without a kid, with an unknown kid, or signed by another key', async () => {
    expect(await failure(jwks.sign({ kid: null }))).toBe(AuthErrorCode.badSignature);
    const stranger = await createKey('stranger');
    expect(await failure(jwks.sign({ key: stranger }))).toBe(AuthErrorCode.badSignature);
    expect(await failure(jwks.sign({ key: stranger, kid: jwks.key.kid }))).toBe(AuthErrorCode.badSignature);
  });

  it('rejects garbage and tokens without sub', async () => {
    expect(await failure('not-a-jwt')).toBe(AuthErrorCode.invalid);
    expect(await failure(jwks.sign({ sub: '' }))).toBe(AuthErrorCode.invalid);
  });

  it('picks up a rotated key: an unknown kid refetches the key set', async () => {
    const rotated = await createKey('test-key-2');
    jwks.keys = [...jwks.keys, rotated];
    const before = jwks.requests;
    expect((await verify(await jwks.sign({ key: rotated, sub: 'bob' }))).userId).toBe('bob');
    expect(jwks.requests).toBe(before + 1);
  });

  it('refetches at most once per cooldown for unknown kids', async () => {
    const limited = createTokenVerifier({ jwksUrl: jwks.url, audience: 'powersync', refetchCooldownMs: 60_000 });
    await limited(await jwks.sign());
    const before = jwks.requests;
    const unknown = await createKey('never-published');
    for (let i = 0; i < 5; i++) await failure(jwks.sign({ key: unknown }), limited);
    expect(jwks.requests - before).toBeLessThanOrEqual(1);
  });

  it('answers 401 when the key set cannot be fetched', async () => {
    const offline = createTokenVerifier({ jwksUrl: 'http://127.0.0.1:9/api/auth/keys', audience: 'powersync' });
    expect(await failure(jwks.sign(), offline)).toBe(AuthErrorCode.invalid);
  });
});

describe('tokenFromHeader', () => {
  it('accepts Token and Bearer', () => {
    expect(tokenFromHeader('Token abc.def.ghi')).toBe('abc.def.ghi');
    expect(tokenFromHeader('Bearer abc')).toBe('abc');
  });

  it('rejects anything else with PSYNC_S2106', () => {
    for (const header of [undefined, '', 'Basic x', 'Token', 'Token a b']) {
      expect(() => tokenFromHeader(header)).toThrow(expect.objectContaining({ code: AuthErrorCode.missingHeader }));
    }
  });
});
