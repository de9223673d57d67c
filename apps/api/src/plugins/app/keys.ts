import { randomUUID } from 'node:crypto';
import { type CryptoKey, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';

export const SIGNING_ALG = 'ES256';

export interface SigningKeys {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** The public half as published in the JWKS. */
  publicJwk: JWK;
}

/** Generates an ES256 key pair; `privateJwk` is what to persist to keep tokens valid across restarts. */
export async function generateSigningKeys(): Promise<SigningKeys & { privateJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const kid = randomUUID();
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALG, use: 'sig' };
  return { kid, privateKey, publicKey, publicJwk: publicOf(privateJwk), privateJwk };
}

function publicOf(jwk: JWK): JWK {
  const { d: _secret, key_ops: _ops, ...rest } = jwk;
  return rest;
}

/** Loads a persisted private JWK (with its kid). */
export async function importSigningKeys(privateJwkJson: string): Promise<SigningKeys> {
  let jwk: JWK;
  try {
    jwk = JSON.parse(privateJwkJson) as JWK;
  } catch {
    throw new Error('JWT_PRIVATE_JWK is not valid JSON.');
  }
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.d || !jwk.kid) {
    throw new Error('JWT_PRIVATE_JWK must be a private P-256 (ES256) key in JWK form, with a kid.');
  }
  const privateKey = (await importJWK({ ...jwk, alg: SIGNING_ALG }, SIGNING_ALG)) as CryptoKey;
  const publicJwk = { ...publicOf(jwk), alg: SIGNING_ALG, use: 'sig' };
  const publicKey = (await importJWK(publicJwk, SIGNING_ALG)) as CryptoKey;
  return { kid: jwk.kid, privateKey, publicKey, publicJwk };
}
