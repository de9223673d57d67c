import { infraPaths } from '@cr/infra';

/** The sync service's configuration. `loadEnv` is the only place that reads the environment. */
export interface SyncEnv {
  databaseUrl: string;
  port: number;
  host: string;
  jwksUrl: string;
  jwtAudience: string;
  syncRulesPath: string;
  /** Schema of the same database that holds bucket storage; never part of the publication. */
  storageSchema: string;
  /** How often to compact bucket storage (MOVE/CLEAR); 0 turns periodic compaction off. */
  compactIntervalMs: number;
  logLevel: LogLevelName;
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
const RESERVED_SCHEMAS = new Set(['public', 'information_schema']);

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid sync service configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Source = Readonly<Record<string, string | undefined>>;

/** Reads and validates the environment; throws one {@link EnvError} listing every problem. */
export function loadEnv(source: Source = process.env): SyncEnv {
  const problems: string[] = [];
  const text = (name: string, fallback?: string): string => {
    const value = source[name]?.trim();
    if (value) return value;
    if (fallback === undefined) problems.push(`${name} is required`);
    return fallback ?? '';
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = source[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const url = (name: string, fallback: string | undefined, protocols: string[]): string => {
    const value = text(name, fallback);
    if (!value) return value;
    try {
      const parsed = new URL(value);
      if (!protocols.includes(parsed.protocol)) {
        problems.push(`${name} must be a ${protocols.join(' or ')} URL, got "${parsed.protocol}"`);
      }
    } catch {
      problems.push(`${name} is not a valid URL`);
    }
    return value;
  };

  const storageSchema = text('SYNC_STORAGE_SCHEMA', 'powersync_storage');
  if (!IDENTIFIER.test(storageSchema) || RESERVED_SCHEMAS.has(storageSchema) || storageSchema.startsWith('pg_')) {
    problems.push(
      `SYNC_STORAGE_SCHEMA must be a lower-case identifier of its own (not public, pg_*), got "${storageSchema}"`,
    );
  }
  const logLevel = text('SYNC_LOG_LEVEL', 'info') as LogLevelName;
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`SYNC_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const env: SyncEnv = {
    databaseUrl: url('DATABASE_URL', undefined, ['postgres:', 'postgresql:']),
    port: integer('SYNC_PORT', 8080, 0, 65_535),
    host: text('SYNC_HOST', '127.0.0.1'),
    jwksUrl: url('JWKS_URL', 'http://127.0.0.1:8787/api/auth/keys', ['http:', 'https:']),
    jwtAudience: text('JWT_AUDIENCE', 'powersync'),
    syncRulesPath: text('SYNC_RULES_PATH', infraPaths.syncRules),
    storageSchema,
    compactIntervalMs: integer('SYNC_COMPACT_INTERVAL_MS', 5 * 60_000, 0, 24 * 3_600_000),
    logLevel,
  };
  if (problems.length > 0) throw new EnvError(problems);
  return env;
}
