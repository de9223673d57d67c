import { LogController } from 'fastify';
import { buildApp } from './app.ts';
import { loadConfig } from './env.ts';

/** Thin entry: configuration, logger, listen, graceful close on SIGINT/SIGTERM. */
const config = loadConfig();
const app = await buildApp(
  { config },
  {
    logger: { level: config.logLevel },
    // One line per request only when debugging; otherwise the log stays about what the API does.
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' }),
  },
);

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    app.log.info(`${signal}: closing`);
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'error while closing');
        process.exit(1);
      },
    );
  });
}

try {
  const address = await app.listen({ port: config.port, host: config.host });
  app.log.info(`upload API listening on ${address}`);
} catch (error) {
  app.log.error({ err: error }, 'could not start the upload API');
  process.exit(1);
}
