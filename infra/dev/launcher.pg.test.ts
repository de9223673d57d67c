import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, isPortInUse, migrate } from '@cr/db';
import { createOwnedDatabase, createTestDatabase, startTestCluster, type TestCluster } from '@cr/db/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { infraPaths } from '../src/paths.ts';
import { childPids, type Launched, launch as launchScript, waitForOutput } from './launcher-harness.ts';

/**
 * `npm start` and `npm run reset` as a user runs them: child processes, real ports, Ctrl-C; an
 * external Postgres whose role lacks a privilege; services that die.
 */

let dataDir: string;
let cluster: TestCluster;

beforeAll(async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'cr-launcher-'));
  await chmod(dir, 0o755);
  dataDir = path.join(dir, 'data');
  cluster = await startTestCluster({ migrationsDir: infraPaths.migrations });
});
afterAll(async () => {
  await cluster?.stop();
  await rm(path.dirname(dataDir), { recursive: true, force: true });
});

function launch(script: string, env: Record<string, string>): Launched {
  return launchScript(script, { CR_DATA_DIR: dataDir, ...env });
}

async function startStack(ports: { pg: number; api: number }, env: Record<string, string> = {}) {
  const stack = launch('start.ts', { PG_PORT: String(ports.pg), API_PORT: String(ports.api), ...env });
  await waitForOutput(stack, 'The stack is running');
  return stack;
}

describe('npm start', () => {
  it('starts embedded Postgres and the API with seeded data, keeps data across restarts, stops on Ctrl-C', async () => {
    const ports = { pg: await freePort(), api: await freePort() };
    const first = await startStack(ports);
    expect(first.output()).toContain('seeded the demo data (first run)');
    expect(first.output()).toContain(`upload API    http://127.0.0.1:${ports.api}/api/health`);
    const users = (await (await fetch(`http://127.0.0.1:${ports.api}/api/auth/users`)).json()) as unknown[];
    expect(users).toHaveLength(6);
    const db = new pg.Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${ports.pg}/postgres` });
    await db.connect();
    await db.query(`UPDATE tasks SET title = 'Kept across restarts' WHERE id = '10000000-0000-4000-8000-000000000001'`);
    await db.end();
    first.child.kill('SIGINT');
    expect(await first.exit).toBe(0);
    expect(first.output()).toContain('[stack] stopped');

    const second = await startStack(ports);
    expect(second.output()).toContain('schema is up to date');
    expect(second.output()).not.toContain('seeded the demo data');
    const again = new pg.Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${ports.pg}/postgres` });
    await again.connect();
    const { rows } = await again.query(`SELECT title FROM tasks WHERE id = '10000000-0000-4000-8000-000000000001'`);
    await again.end();
    expect(rows).toEqual([{ title: 'Kept across restarts' }]);
    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);

    const reset = launch('reset.ts', { PG_PORT: String(ports.pg) });
    expect(await reset.exit).toBe(0);
    expect(reset.output()).toContain('Removed');
    expect(existsSync(dataDir)).toBe(false);
  });

  it('uses DATABASE_URL instead of the embedded Postgres, and says clearly when a port is taken', async () => {
    const url = await createTestDatabase(cluster);
    const api = await freePort();
    const stack = await startStack({ pg: await freePort(), api }, { DATABASE_URL: url });
    expect(stack.output()).toContain('using DATABASE_URL postgres://postgres:***@');
    expect(stack.output()).not.toContain('starting embedded Postgres');

    const clash = launch('start.ts', { DATABASE_URL: url, API_PORT: String(api) });
    expect(await clash.exit).toBe(1);
    expect(clash.output()).toContain(`Port ${api} (upload API) is already in use`);

    stack.child.kill('SIGINT');
    expect(await stack.exit).toBe(0);
  });
});

describe('npm start with an external Postgres that is not set up for replication', () => {
  it('stops with the exact fix while the role lacks REPLICATION, and runs once it is granted', async () => {
    const owned = await createOwnedDatabase(cluster);
    try {
      const ports = { api: await freePort(), sync: await freePort() };
      const env = {
        DATABASE_URL: owned.url,
        STACK_SERVICES: 'api,sync',
        API_PORT: String(ports.api),
        SYNC_PORT: String(ports.sync),
      };
      const refused = launch('start.ts', env);
      expect(await refused.exit).toBe(1);
      const text = refused.output();
      expect(text).toContain('applied migrations'); // the plain owner migrates its own database
      expect(text).toContain(`sync cannot replicate from Postgres (postgres://${owned.role}:***@`);
      expect(text).toContain(`Role ${owned.role} may not replicate`);
      expect(text).toContain(`Fix: as a superuser, ALTER ROLE ${owned.role} WITH REPLICATION;`);
      expect(text).not.toContain('sync is ready');
      expect(text).toContain('[stack] stopped');
      expect(await isPortInUse(ports.api)).toBe(false);
      expect(await isPortInUse(ports.sync)).toBe(false);

      // The operator runs the fix, as printed.
      const fix = /ALTER ROLE \S+ WITH REPLICATION;/.exec(text)?.[0] ?? 'missing';
      await owned.asSuperuser(fix);
      const stack = launch('start.ts', env);
      await waitForOutput(stack, 'The stack is running');
      expect(stack.output()).toContain('sync is ready');
      const readiness = await fetch(`http://127.0.0.1:${ports.sync}/probes/readiness`);
      expect(readiness.status).toBe(200);
      stack.child.kill('SIGINT');
      expect(await stack.exit).toBe(0);
    } finally {
      await owned.drop();
    }
  });

  it('names the grant when the role may not create the publication', async () => {
    const owned = await createOwnedDatabase(cluster, { replication: true });
    try {
      await owned.asSuperuser(`REVOKE CREATE ON DATABASE ${owned.database} FROM ${owned.role}`);
      const refused = launch('start.ts', { DATABASE_URL: owned.url, API_PORT: String(await freePort()) });
      expect(await refused.exit).toBe(1);
      expect(refused.output()).toContain('Migration 0003_api_bookkeeping.sql failed: permission denied for database');
      expect(refused.output()).toContain(
        `Fix: as a superuser, GRANT CREATE ON DATABASE ${owned.database} TO ${owned.role};`,
      );
    } finally {
      await owned.drop();
    }
  });
});

describe('npm start when a service ends', () => {
  it('names the service that died, how, and its last log lines, and stops the rest', async () => {
    const url = await createTestDatabase(cluster);
    const stack = launch('start.ts', { DATABASE_URL: url, API_PORT: String(await freePort()) });
    await waitForOutput(stack, 'The stack is running');
    const [api, ...others] = childPids(stack.child.pid ?? 0, 'apps/api/src/server.ts');
    expect(others).toEqual([]);
    process.kill(api ?? 0, 'SIGKILL');
    expect(await stack.exit).toBe(1);
    const text = stack.output();
    expect(text).toContain('[stack] api died (killed by SIGKILL).');
    expect(text).toContain('[stack] Its last log lines:');
    expect(text).toMatch(/\[stack\] {3}\| upload API listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(text).toContain('[stack] stopped');
  });

  it('names a service that exits before it is ready, with its exit code and why', async () => {
    const owned = await createOwnedDatabase(cluster, { replication: true });
    try {
      await migrate(owned.url, infraPaths.migrations);
      // The sync service cannot create its storage schema: it exits, saying so.
      await owned.asSuperuser(`REVOKE CREATE ON DATABASE ${owned.database} FROM ${owned.role}`);
      const ports = { api: await freePort(), sync: await freePort() };
      const stack = launch('start.ts', {
        DATABASE_URL: owned.url,
        STACK_SERVICES: 'api,sync',
        API_PORT: String(ports.api),
        SYNC_PORT: String(ports.sync),
      });
      expect(await stack.exit).toBe(1);
      const text = stack.output();
      expect(text).toContain('[stack] could not start: sync exited before it was ready (exit code 1).');
      expect(text).toContain(`[stack]   | sync service failed to start: Role ${owned.role} cannot create`);
      expect(text).toContain(`GRANT CREATE ON DATABASE ${owned.database} TO ${owned.role};`);
      expect(text).toContain('[stack] stopping api');
      expect(await isPortInUse(ports.api)).toBe(false);
    } finally {
      await owned.drop();
    }
  });
});
