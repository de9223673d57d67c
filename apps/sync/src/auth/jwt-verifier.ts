import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import { AuthError, AuthErrorCode } from './auth-error.ts';

export interface VerifiedToken {
  userId: string;
  claims: Record<string, unknown>;
  /** ms since epoch */
  expiresAt: number;
}

export type TokenVerifier = (token: string) => Promise<VerifiedToken>;

export interface VerifierOptions {
  /** Where the API publishes its keys (`GET /api/auth/keys`). */
  jwksUrl: string;
  audience: string;
  /** `exp - iat` may not exceed this (the official default: one day). */
  maxLifetimeSeconds?: number;
  /** At most one JWKS refetch per this many ms when a token names an unknown kid. */
  refetchCooldownMs?: number;
  /** Replaces the JWKS URL (tests of the verifier alone). */
  keys?: JWTVerifyGetKey;
}

const ALGORITHMS = ['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA'];
const CLOCK_TOLERANCE_SECONDS = 60;

function classify(error: unknown): AuthError {
  if (error instanceof AuthError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof errors.JWTExpired) return new AuthError(AuthErrorCode.expired, 'Token has expired');
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'aud') {
    return new AuthError(AuthErrorCode.wrongAudience, 'Token audience does not match');
  }
  if (
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWSSignatureVerificationFailed ||
    error instanceof errors.JWKSMultipleMatchingKeys
  ) {
    return new AuthError(AuthErrorCode.badSignature, `Token signature could not be verified: ${message}`);
  }
  if (!(error instanceof errors.JOSEError)) {
    // Not the token's fault (the key set could not be fetched): still 401, so the client retries.
    return new AuthError(AuthErrorCode.invalid, `Token could not be verified: ${message}`);
  }
  return new AuthError(AuthErrorCode.invalid, `Invalid token: ${message}`);
}

/**
 * Verifies the API's tokens against its JWKS: signature by `kid`, audience, expiry (60 s clock
 * tolerance), required claims `sub`, `iat`, `exp`, and a maximum lifetime. Keys are cached; an
 * unknown kid triggers a refetch at most once per cooldown (key rotation without a restart).
 */
export function createTokenVerifier(options: VerifierOptions): TokenVerifier {
  const keys =
    options.keys ??
    createRemoteJWKSet(new URL(options.jwksUrl), {
      cooldownDuration: options.refetchCooldownMs ?? 30_000,
      cacheMaxAge: 10 * 60_000,
      timeoutDuration: 5000,
    });
  const maxLifetime = options.maxLifetimeSeconds ?? 86_400;

  return async (token) => {
    try {
      const header = decodeProtectedHeader(token);
      if (typeof header.kid !== 'string' || header.kid === '') {
        throw new AuthError(AuthErrorCode.badSignature, 'Token header has no kid');
      }
      const { payload } = await jwtVerify<JWTPayload>(token, keys, {
        audience: options.audience,
        algorithms: ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['sub', 'iat', 'exp', 'aud'],
      });
      const { sub, iat, exp } = payload;
      if (typeof sub !== 'string' || sub === '')
        throw new AuthError(AuthErrorCode.invalid, 'Token sub must be a string');
      if (typeof iat !== 'number' || typeof exp !== 'number') {
        throw new AuthError(AuthErrorCode.invalid, 'Token iat and exp must be numbers');
      }
      if (exp - iat > maxLifetime) {
        throw new AuthError(
          AuthErrorCode.lifetimeTooLong,
          `Token lifetime ${exp - iat} s exceeds the maximum of ${maxLifetime} s`,
        );
      }
      if (payload.parameters !== undefined && (typeof payload.parameters !== 'object' || payload.parameters === null)) {
        throw new AuthError(AuthErrorCode.invalid, 'Token parameters claim must be an object');
      }
      return { userId: sub, claims: payload as Record<string, unknown>, expiresAt: exp * 1000 };
    } catch (error) {
      throw classify(error);
    }
  };
}
