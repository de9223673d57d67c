import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '@cr/db';
import { createTestDatabase, startTestCluster, type TestCluster } from '@cr/db/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { infraPaths } from '../src/paths.ts';

/** `npm start` and `npm run reset` as a user runs them: child processes, real ports, Ctrl-C. */

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

interface Launched {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

function launch(script: string, env: Record<string, string>): Launched {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(infraPaths.repoRoot, 'infra/dev', script)], {
    cwd: infraPaths.repoRoot,
    env: { ...process.env, CR_DATA_DIR: dataDir, STACK_SERVICES: 'api', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    output += String(chunk);
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

async function waitForOutput(launched: Launched, text: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!launched.output().includes(text)) {
    if (launched.child.exitCode !== null) throw new Error(`exited early:\n${launched.output()}`);
    if (Date.now() > deadline) throw new Error(`no "${text}" within ${timeoutMs} ms:\n${launched.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
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
