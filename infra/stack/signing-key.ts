import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The development signing key (ES256, as a private JWK), kept in the data folder so that tokens
 * issued before a restart stay valid after it. Production deployments provide JWT_PRIVATE_JWK.
 */
export async function loadOrCreateDevKey(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'jwt-private.jwk.json');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'ES256', use: 'sig' };
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${JSON.stringify(jwk)}\n`, { mode: 0o600 });
  return JSON.stringify(jwk);
}

/** A signing key for this run only (the end-to-end stack, benchmarks, fault runs). */
export function newSigningKey(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return JSON.stringify({ ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'ES256', use: 'sig' });
}
