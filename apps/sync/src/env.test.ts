import { infraPaths } from '@cr/infra';
import { describe, expect, it } from 'vitest';
import { EnvError, loadEnv } from './env.ts';

describe('loadEnv', () => {
  it('applies the documented defaults', () => {
    expect(loadEnv({ DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/app' })).toEqual({
      databaseUrl: 'postgres://u:p@127.0.0.1:5432/app',
      port: 8080,
      host: '127.0.0.1',
      jwksUrl: 'http://127.0.0.1:8787/api/auth/keys',
      jwtAudience: 'powersync',
      syncRulesPath: infraPaths.syncRules,
      storageSchema: 'powersync_storage',
      compactIntervalMs: 300_000,
      logLevel: 'info',
    });
  });

  it('reads every variable', () => {
    const env = loadEnv({
      DATABASE_URL: 'postgresql://db/app',
      SYNC_PORT: '9090',
      SYNC_HOST: '0.0.0.0',
      JWKS_URL: 'https://api.example.com/api/auth/keys',
      JWT_AUDIENCE: 'other',
      SYNC_RULES_PATH: '/etc/rules.yaml',
      SYNC_STORAGE_SCHEMA: 'sync_store',
      SYNC_COMPACT_INTERVAL_MS: '0',
      SYNC_LOG_LEVEL: 'debug',
    });
    expect(env).toMatchObject({ port: 9090, host: '0.0.0.0', storageSchema: 'sync_store', compactIntervalMs: 0 });
  });

  it('lists every problem at once', () => {
    try {
      loadEnv({ SYNC_PORT: 'eighty', JWKS_URL: 'ftp://x', SYNC_STORAGE_SCHEMA: 'public', SYNC_LOG_LEVEL: 'loud' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      const problems = (error as EnvError).problems.join('\n');
      expect(problems).toContain('DATABASE_URL is required');
      expect(problems).toContain('SYNC_PORT');
      expect(problems).toContain('JWKS_URL');
      expect(problems).toContain('SYNC_STORAGE_SCHEMA');
      expect(problems).toContain('SYNC_LOG_LEVEL');
    }
  });

  it('refuses a storage schema that is not a plain identifier', () => {
    expect(() => loadEnv({ DATABASE_URL: 'postgres://db/app', SYNC_STORAGE_SCHEMA: 'x"; drop' })).toThrow(EnvError);
    expect(() => loadEnv({ DATABASE_URL: 'postgres://db/app', SYNC_STORAGE_SCHEMA: 'pg_toast' })).toThrow(EnvError);
  });
});
