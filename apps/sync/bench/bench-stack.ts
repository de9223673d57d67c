import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, seedIfEmpty } from '@cr/db';
import { createTestDatabase, startTestCluster, type TestCluster } from '@cr/db/testing';
import { infraPaths } from '@cr/infra';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { createLogger } from '../src/log.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const syncRoot = path.resolve(here, '..');

/** One embedded Postgres for the whole run; each scenario gets a fresh migrated, seeded database. */
export async function startCluster(): Promise<TestCluster & { database(): Promise<string> }> {
  const cluster = await startTestCluster({ migrationsDir: infraPaths.migrations });
  return {
    ...cluster,
    async database() {
      const url = await createTestDatabase(cluster);
      await seedIfEmpty(url, infraPaths.seed);
      return url;
    },
  };
}

/** The sync service in this process (scenarios that look inside it). */
export async function startSyncInProcess(
  databaseUrl: string,
  jwksUrl: string,
): Promise<{ app: FastifyInstance; url: string }> {
  const app = await buildApp({
    databaseUrl,
    jwksUrl,
    syncRulesPath: infraPaths.syncRules,
    logger: createLogger({ level: 'warn' }),
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const deadline = Date.now() + 300_000;
  while (!app.sync.service.bus.latest) {
    if (Date.now() > deadline) throw new Error('the sync service did not become ready');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { app, url: address.replace('localhost', '127.0.0.1') };
}

export interface ChildService {
  url: string;
  pid: number;
  /** Resident memory of the process, bytes (Linux). */
  rss(): Promise<number>;
  stop(): Promise<void>;
}

async function waitForHttp(url: string, child: ChildProcess, output: string[]): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`process exited (${child.exitCode}):\n${output.join('')}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer:\n${output.join('')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A service entry point run the way the launcher runs it (node with tsx), in its own process. */
export async function startChild(
  entry: string,
  env: Record<string, string>,
  readyPath: string,
  port: number,
  /** Called as soon as the process exists (before it is ready): e.g. to sample its memory from the start. */
  onSpawn?: (rss: () => Promise<number>) => void,
): Promise<ChildService> {
  const output: string[] = [];
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: syncRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const rss = async () => {
    const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  };
  onSpawn?.(rss);
  child.stdout?.on('data', (chunk) => output.push(String(chunk)));
  child.stderr?.on('data', (chunk) => output.push(String(chunk)));
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}${readyPath}`, child, output);
  return {
    url,
    pid: child.pid ?? 0,
    rss,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function startSyncChild(
  databaseUrl: string,
  jwksUrl: string,
  port?: number,
  onSpawn?: (rss: () => Promise<number>) => void,
): Promise<ChildService> {
  port ??= await freePort();
  return startChild(
    path.join(syncRoot, 'src/server.ts'),
    { DATABASE_URL: databaseUrl, JWKS_URL: jwksUrl, SYNC_PORT: String(port), SYNC_LOG_LEVEL: 'warn' },
    '/probes/readiness',
    port,
    onSpawn,
  );
}

/** Peak resident memory of a process, sampled every 50 ms from `start()` until `stop()`. */
export class PeakMemory {
  peak = 0;
  private timer: NodeJS.Timeout | null = null;
  start(rss: () => Promise<number>): void {
    this.timer = setInterval(() => {
      rss().then(
        (bytes) => {
          this.peak = Math.max(this.peak, bytes);
        },
        () => {},
      );
    }, 50);
  }
  stop(): number {
    if (this.timer) clearInterval(this.timer);
    return this.peak;
  }
}

export async function startApiChild(databaseUrl: string, syncUrl: string, port?: number): Promise<ChildService> {
  port ??= await freePort();
  return startChild(
    path.join(syncRoot, '../api/src/server.ts'),
    { DATABASE_URL: databaseUrl, API_PORT: String(port), POWERSYNC_URL: syncUrl, LOG_LEVEL: 'warn' },
    '/api/health',
    port,
  );
}
