import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@cr/db';
import { createTestDatabase } from '@cr/db/testing';
import pg from 'pg';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { JwksServer } from '../test/jwks-server.ts';
import { waitFor } from '../test/wait-for.ts';

/** The entry point as the launcher runs it: environment, one log line per event, clean shutdown. */
const entry = fileURLToPath(new URL('./server.ts', import.meta.url));
let jwks: JwksServer;
let databaseUrl: string;

function run(env: Record<string, string>): { child: ChildProcess; output: string[]; exited: Promise<number | null> } {
  const output: string[] = [];
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: path.dirname(entry),
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => output.push(String(chunk)));
  child.stderr?.on('data', (chunk) => output.push(String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output, exited };
}

beforeAll(async () => {
  jwks = await JwksServer.start();
  databaseUrl = await createTestDatabase(inject('pgCluster'));
});
afterAll(async () => {
  await jwks?.close();
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  await db.query(`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
                   WHERE database = current_database() AND NOT active`);
  await db.end();
});

it('serves until SIGTERM, then closes cleanly', async () => {
  const port = await freePort();
  const { child, output, exited } = run({ DATABASE_URL: databaseUrl, SYNC_PORT: String(port), JWKS_URL: jwks.url });
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/probes/readiness`).catch(() => null))?.ok, {
    timeoutMs: 30_000,
    message: 'readiness',
  });
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  const lines = output.join('').trim().split('\n');
  expect(lines.some((line) => line.includes('listening on http://127.0.0.1:'))).toBe(true);
  expect(lines.some((line) => line.includes('created replication slot'))).toBe(true);
  expect(lines.some((line) => line.includes('SIGTERM received'))).toBe(true);
  expect(lines.join('\n')).not.toContain(':postgres@'); // the password is not logged
  for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z (DEBUG|INFO |WARN |ERROR) \S/);
});

it('refuses to start with a sentence per bad variable', async () => {
  const { output, exited } = run({ SYNC_PORT: 'x' });
  expect(await exited).toBe(1);
  const text = output.join('');
  expect(text).toContain('DATABASE_URL is required');
  expect(text).toContain('SYNC_PORT must be an integer');
});
