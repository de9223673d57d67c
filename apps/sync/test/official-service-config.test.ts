import { readFileSync } from 'node:fs';
import path from 'node:path';
import { infraPaths } from '@cr/infra';
import { describe, expect, it } from 'vitest';
import { parse, type ScalarTag } from 'yaml';
import { loadEnv } from '../src/env.ts';
import { parseSyncRules } from '../src/rules/sync-rules.ts';

/**
 * infra/powersync holds the official PowerSync Service's config. There is no Docker here, so this
 * checks what can be checked without running it: that it reads the same sync rules, accepts the
 * same tokens (audience, JWKS path) as apps/sync, and that compose supplies every variable it uses.
 */
const dir = path.dirname(infraPaths.syncRules);
const used: string[] = [];
/** The service's `!env PS_NAME[::type]` tag (only PS_* variables are substituted). */
const envTag: ScalarTag = {
  tag: '!env',
  resolve: (value) => {
    used.push(value.split('::')[0] ?? value);
    return `env:${value}`;
  },
};
const service = parse(readFileSync(path.join(dir, 'service.yaml'), 'utf8'), { customTags: [envTag] });
const compose = parse(readFileSync(path.join(dir, 'docker-compose.yaml'), 'utf8'));
const powersync = compose.services.powersync;
const environment: Record<string, string | undefined> = powersync.environment;
const defaults = loadEnv({ DATABASE_URL: 'postgres://localhost/app' });

/** `${NAME:-default}` → default */
const defaultOf = (value: string | undefined) => /:-([^}]+)}/.exec(value ?? '')?.[1];

describe('infra/powersync/service.yaml', () => {
  it('reads the sync rules file apps/sync reads, and they parse', () => {
    expect(path.resolve(dir, service.sync_config.path)).toBe(infraPaths.syncRules);
    expect(() => parseSyncRules(readFileSync(infraPaths.syncRules, 'utf8'))).not.toThrow();
  });

  it('accepts the tokens apps/sync accepts: same audience, keys from the API JWKS path', () => {
    expect(service.client_auth.audience).toEqual([defaults.jwtAudience]);
    expect(service.client_auth.jwks_uri).toBe('env:PS_JWKS_URL');
    expect(new URL(defaultOf(environment.PS_JWKS_URL) ?? '').pathname).toBe(new URL(defaults.jwksUrl).pathname);
    expect(new URL(defaults.jwksUrl).pathname).toBe('/api/auth/keys');
  });

  it('replicates from Postgres into Postgres bucket storage', () => {
    expect(service.replication.connections).toHaveLength(1);
    expect(service.replication.connections[0]).toMatchObject({ type: 'postgresql', sslmode: 'disable' });
    expect(service.storage).toMatchObject({ type: 'postgresql' });
  });

  it('only uses PS_* variables, all of which the compose file sets', () => {
    expect(used.length).toBeGreaterThan(0);
    for (const name of used) {
      expect(name.startsWith('PS_'), name).toBe(true);
      expect(environment, name).toHaveProperty(name);
    }
  });
});

describe('infra/powersync/docker-compose.yaml', () => {
  it('mounts the config and the sync rules next to each other, where the config looks', () => {
    const mounts: string[] = powersync.volumes;
    const target = (file: string) => mounts.find((m) => m.startsWith(`./${file}:`))?.split(':')[1];
    expect(target('service.yaml')).toBe(environment.POWERSYNC_CONFIG_PATH);
    expect(path.posix.resolve(path.posix.dirname(target('service.yaml') ?? ''), service.sync_config.path)).toBe(
      target('sync-rules.yaml'),
    );
  });

  it('keeps bucket storage in its own Postgres, and stays off the port of apps/sync', () => {
    expect(powersync.depends_on).toHaveProperty('storage');
    expect(environment.PS_STORAGE_SOURCE_URI).toContain('@127.0.0.1:');
    expect(Number(defaultOf(environment.PS_PORT))).not.toBe(defaults.port);
    expect(powersync.image).toMatch(/^journeyapps\/powersync-service:\d+\.\d+\.\d+$/);
  });
});
