/**
 * The API's configuration: the one place that reads process.env. Everything is validated here,
 * so a bad value stops the server at start with a sentence saying which and why.
 */

export interface ApiConfig {
  databaseUrl: string;
  port: number;
  host: string;
  /** What the token endpoint tells clients to sync from. */
  powersyncUrl: string;
  /** Private signing key as a JWK (JSON); absent: an ephemeral key is generated at start. */
  jwtPrivateJwk: string | undefined;
  jwtAudience: string;
  /** Lifetime of dev tokens, seconds (the sync service accepts at most one day). */
  tokenTtlSeconds: number;
  /** Whether POST /api/auth/token signs tokens for the demo users. */
  devTokens: boolean;
  /** Largest accepted request body, bytes (413 BODY_TOO_LARGE above). */
  bodyLimit: number;
  /** Most operations in one upload (413 TOO_MANY_OPERATIONS above). */
  maxOperations: number;
  /** How often the field-change worker sweeps for pending work besides being notified, ms. */
  fieldChangeSweepMs: number;
  /** A field change pending longer than this, ms, makes /api/health report the worker stuck. */
  fieldChangeStuckMs: number;
  logLevel: string;
  /** Origins allowed by CORS; `*` for any. */
  corsOrigin: string;
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}; got "${raw}".`);
  }
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'no'].includes(raw)) return false;
  throw new Error(`${name} must be true or false; got "${env[name]}".`);
}

export function loadConfig(env: Env = process.env): ApiConfig {
  const databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is required (npm start sets it for the embedded Postgres).');
  try {
    new URL(databaseUrl);
  } catch {
    throw new Error('DATABASE_URL is not a valid connection URL.');
  }
  const syncPort = integer(env, 'SYNC_PORT', 8080, 1, 65535);
  return {
    databaseUrl,
    port: integer(env, 'API_PORT', 8787, 0, 65535),
    host: env.API_HOST || '127.0.0.1',
    powersyncUrl: (env.POWERSYNC_URL || `http://127.0.0.1:${syncPort}`).replace(/\/+$/, ''),
    jwtPrivateJwk: env.JWT_PRIVATE_JWK || undefined,
    jwtAudience: env.JWT_AUDIENCE || 'powersync',
    tokenTtlSeconds: integer(env, 'TOKEN_TTL_SECONDS', 3600, 60, 86_400),
    devTokens: bool(env, 'ENABLE_DEV_TOKENS', true),
    bodyLimit: integer(env, 'API_BODY_LIMIT', 8 * 1024 * 1024, 1024, 256 * 1024 * 1024),
    maxOperations: integer(env, 'API_MAX_OPERATIONS', 10_000, 1, 1_000_000),
    fieldChangeSweepMs: integer(env, 'FIELD_CHANGE_SWEEP_MS', 2000, 50, 3_600_000),
    fieldChangeStuckMs: integer(env, 'FIELD_CHANGE_STUCK_MS', 60_000, 100, 86_400_000),
    logLevel: env.LOG_LEVEL || 'info',
    corsOrigin: env.CORS_ORIGIN || '*',
  };
}
