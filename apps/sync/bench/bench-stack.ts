import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, seedIfEmpty } from '@cr/db';
import { createTestDatabase, startTestCluster, type TestCluster } from '@cr/db/testing';
import { infraPaths } from '@cr/infra';
import { appLaunch, appUrl, startService, waitUntilReady } from '@cr/infra/stack';
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

/** An app of the stack in its own process, started by the one launcher (infra/stack) on an existing database. */
async function startApp(
  name: 'api' | 'sync',
  databaseUrl: string,
  ports: { api: number; sync: number },
  env: Record<string, string>,
  onSpawn?: (rss: () => Promise<number>) => void,
): Promise<ChildService> {
  const launch = appLaunch(name, { databaseUrl, ports: { ...ports, web: 0 } }, env);
  // SYNC_BENCH_LOG_DIR=<dir>: each service's output in <dir>/<name>-<pid>.log (e.g. with SYNC_LOG_LEVEL=debug).
  const logDir = process.env.SYNC_BENCH_LOG_DIR;
  const output = logDir
    ? ({ kind: 'file', path: path.join(logDir, `${name}-${Date.now()}.log`) } as const)
    : ({ kind: 'quiet' } as const);
  const service = startService(launch.spec, output);
  onSpawn?.(() => service.rss());
  try {
    await waitUntilReady(service, launch.ready, 120_000, () => {});
  } catch (error) {
    await service.stop();
    throw error;
  }
  return {
    url: appUrl(ports[name]),
    pid: service.pid,
    rss: () => service.rss(),
    stop: async () => {
      await service.stop();
    },
  };
}

export async function startSyncChild(
  databaseUrl: string,
  jwksUrl: string,
  port?: number,
  /** Called as soon as the process exists (before it is ready): e.g. to sample its memory from the start. */
  onSpawn?: (rss: () => Promise<number>) => void,
): Promise<ChildService> {
  const sync = port ?? (await freePort());
  const api = Number(new URL(jwksUrl).port) || 80;
  const level = process.env.SYNC_LOG_LEVEL ?? 'warn';
  return startApp('sync', databaseUrl, { api, sync }, { JWKS_URL: jwksUrl, SYNC_LOG_LEVEL: level }, onSpawn);
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
  const api = port ?? (await freePort());
  const sync = Number(new URL(syncUrl).port) || 80;
  return startApp('api', databaseUrl, { api, sync }, { POWERSYNC_URL: syncUrl, LOG_LEVEL: 'warn' });
}
