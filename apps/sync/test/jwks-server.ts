import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export interface TestKey {
  kid: string;
  privateKey: PrivateKey;
  publicJwk: JWK;
}

export async function createKey(kid: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

export interface TokenOptions {
  sub?: string;
  role?: string;
  aud?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  /** Override iat (seconds since epoch). */
  iat?: number;
  key?: TestKey;
  kid?: string | null;
  extra?: Record<string, unknown>;
}

/**
 * A stand-in for the API's `GET /api/auth/keys`: serves a JWKS of ES256 keys and signs tokens
 * shaped like the API's (sub, role, aud, iat, exp, kid).
 */
export class JwksServer {
  requests = 0;
  private constructor(
    private readonly server: Server,
    public keys: TestKey[],
  ) {}

  static async start(): Promise<JwksServer> {
    const keys = [await createKey('test-key-1')];
    let self: JwksServer | null = null;
    const server = createServer((request, response) => {
      if (request.url !== '/api/auth/keys') {
        response.writeHead(404).end();
        return;
      }
      if (self) self.requests += 1;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: (self?.keys ?? keys).map((key) => key.publicJwk) }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    self = new JwksServer(server, keys);
    return self;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/auth/keys`;
  }

  get key(): TestKey {
    const key = this.keys[0];
    if (!key) throw new Error('no key');
    return key;
  }

  async sign(options: TokenOptions = {}): Promise<string> {
    const key = options.key ?? this.key;
    const now = Math.floor(Date.now() / 1000);
    const iat = options.iat ?? now;
    const kid = options.kid === undefined ? key.kid : options.kid;
    return new SignJWT({ role: options.role ?? 'clerk', ...options.extra })
      .setProtectedHeader({ alg: 'ES256', ...(kid === null ? {} : { kid }) })
      .setSubject(options.sub ?? 'alice')
      .setAudience(options.aud ?? 'powersync')
      .setIssuedAt(iat)
      .setExpirationTime(now + (options.expiresIn ?? 3600))
      .sign(key.privateKey);
  }

  close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections(); // the verifier's keep-alive connection
    return closed;
  }
}
