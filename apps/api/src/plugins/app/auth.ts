import { ROLES, type Role } from '@cr/demo-domain';
import { USER_ID_PATTERN } from '@cr/schema';
import type { Actor } from '@cr/strategies';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type JWK, errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { ApiError, ApiErrorCode } from '../../errors.ts';
import { generateSigningKeys, importSigningKeys, SIGNING_ALG, type SigningKeys } from './keys.ts';

export interface AuthOptions {
  privateJwk: string | undefined;
  audience: string;
  tokenTtlSeconds: number;
}

export interface AuthService {
  /** Signs a token for a user: sub, role, aud, iat, exp, kid in the header. */
  sign(user: { id: string; name: string; role: Role }): Promise<{ token: string; expiresAt: string }>;
  /** Public keys for the sync service (and the official PowerSync Service). */
  jwks(): { keys: JWK[] };
  /** Verifies a bearer token; throws ApiError 401 on any failure. */
  verify(token: string): Promise<Actor>;
}

declare module 'fastify' {
  interface FastifyInstance {
    auth: AuthService;
    /** preHandler: authenticates the request and sets request.actor. */
    authenticate(request: FastifyRequest): Promise<void>;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
}

const BEARER = /^(?:Bearer|Token) (\S+)$/;

/** Verified tokens, so a client's every upload does not pay for a signature check again. */
const VERIFIED_CACHE_SIZE = 1000;

/** The longest token lifetime accepted (exp − iat), as the sync service: one day. */
export const MAX_TOKEN_LIFETIME_SECONDS = 86_400;
/** How far a token's iat may be ahead of this server's clock. */
const CLOCK_TOLERANCE_SECONDS = 60;

export function createAuthService(keys: SigningKeys, options: Omit<AuthOptions, 'privateJwk'>): AuthService {
  const verified = new Map<string, { actor: Actor; expiresAt: number }>();
  return {
    async sign(user) {
      const iat = Math.floor(Date.now() / 1000);
      const exp = iat + options.tokenTtlSeconds;
      const token = await new SignJWT({ role: user.role, name: user.name })
        .setProtectedHeader({ alg: SIGNING_ALG, kid: keys.kid, typ: 'JWT' })
        .setSubject(user.id)
        .setAudience(options.audience)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .sign(keys.privateKey);
      return { token, expiresAt: new Date(exp * 1000).toISOString() };
    },
    jwks: () => ({ keys: [keys.publicJwk] }),
    async verify(token) {
      const cached = verified.get(token);
      if (cached && cached.expiresAt > Date.now()) return cached.actor;
      verified.delete(token);
      try {
        const { payload, protectedHeader } = await jwtVerify(token, keys.publicKey, {
          algorithms: [SIGNING_ALG],
          audience: options.audience,
          requiredClaims: ['sub', 'iat', 'exp'],
        });
        if (protectedHeader.kid !== keys.kid)
          throw new ApiError(401, ApiErrorCode.InvalidToken, 'The token was signed with an unknown key.');
        const iat = payload.iat as number;
        const exp = payload.exp as number;
        if (exp - iat > MAX_TOKEN_LIFETIME_SECONDS) {
          throw new ApiError(
            401,
            ApiErrorCode.InvalidToken,
            `The token is valid for ${exp - iat} s; at most ${MAX_TOKEN_LIFETIME_SECONDS} s is accepted.`,
          );
        }
        if (iat > Date.now() / 1000 + CLOCK_TOLERANCE_SECONDS) {
          throw new ApiError(401, ApiErrorCode.InvalidToken, 'The token was issued in the future.');
        }
        const role = payload.role;
        if (typeof payload.sub !== 'string' || !USER_ID_PATTERN.test(payload.sub) || !ROLES.includes(role as Role)) {
          throw new ApiError(401, ApiErrorCode.InvalidToken, 'The token has no valid user (sub) or role.');
        }
        const actor: Actor = { id: payload.sub, role: role as Role };
        if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value as string);
        verified.set(token, { actor, expiresAt: (payload.exp ?? 0) * 1000 });
        return actor;
      } catch (error) {
        if (error instanceof ApiError) throw error;
        if (error instanceof joseErrors.JWTExpired) {
          throw new ApiError(401, ApiErrorCode.TokenExpired, 'The token has expired; sign in again.');
        }
        throw new ApiError(401, ApiErrorCode.InvalidToken, `The token is not valid: ${(error as Error).message}.`);
      }
    },
  };
}

/** Signing keys, the token service, and the `authenticate` pre-handler. */
export default fp(
  async (fastify, options: AuthOptions) => {
    let keys: SigningKeys;
    if (options.privateJwk) {
      keys = await importSigningKeys(options.privateJwk);
    } else {
      keys = await generateSigningKeys();
      fastify.log.warn('JWT_PRIVATE_JWK is not set: using a key generated for this run (tokens end with it)');
    }
    const auth = createAuthService(keys, options);
    fastify.decorate('auth', auth);
    fastify.decorateRequest('actor', null);
    fastify.decorate('authenticate', async (request: FastifyRequest) => {
      const header = request.headers.authorization;
      if (!header)
        throw new ApiError(401, ApiErrorCode.MissingToken, 'Sign in first: the Authorization header is missing.');
      const match = BEARER.exec(header);
      if (!match?.[1]) {
        throw new ApiError(401, ApiErrorCode.InvalidToken, 'The Authorization header must be "Bearer <token>".');
      }
      request.actor = await auth.verify(match[1]);
    });
  },
  { name: 'auth' },
);
