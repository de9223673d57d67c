import cors from '@fastify/cors';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { AuthError, tokenFromHeader } from './auth/auth-error.ts';
import { createTokenVerifier, type VerifiedToken } from './auth/jwt-verifier.ts';
import type { SyncEnv } from './env.ts';
import { createLogger, type Logger } from './log.ts';
import { SyncRequestError } from './protocol/request.ts';
import { probeRoutes } from './routes/probes.ts';
import { syncStreamRoute } from './routes/sync-stream.ts';
import { writeCheckpointRoutes } from './routes/write-checkpoint.ts';
import { readSyncRules, type SyncRules } from './rules/sync-rules.ts';
import { SyncService } from './service.ts';

export interface AppOptions {
  databaseUrl: string;
  jwksUrl: string;
  jwtAudience?: string;
  /** Parsed rules (tests), or a path to read them from. */
  syncRules?: SyncRules;
  syncRulesPath?: string;
  storageSchema?: string;
  compactIntervalMs?: number;
  logger?: Logger;
  /** Interval of `token_expires_in` keepalive lines (the official service: about 20 s). */
  keepaliveMs?: number;
  /** Interval of the replication status line (lag) in the log. */
  statusIntervalMs?: number;
  /** At most one JWKS refetch per this many ms for unknown key ids. */
  jwksRefetchCooldownMs?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    sync: { service: SyncService; logger: Logger; keepaliveMs: number };
    /** Open sync streams, ended when the app closes. */
    syncStreams: Set<AbortController>;
    /** Verifies the request's token; throws an {@link AuthError} (401). */
    authenticate(request: FastifyRequest): Promise<VerifiedToken>;
  }
}

export function appOptionsFromEnv(env: SyncEnv, logger: Logger): AppOptions {
  return {
    databaseUrl: env.databaseUrl,
    jwksUrl: env.jwksUrl,
    jwtAudience: env.jwtAudience,
    syncRulesPath: env.syncRulesPath,
    storageSchema: env.storageSchema,
    compactIntervalMs: env.compactIntervalMs,
    logger,
  };
}

/**
 * The sync service as a Fastify app: CORS for browser clients on another origin, the PowerSync
 * protocol routes, and the replication service behind them. `app.close()` ends open streams,
 * stops replication and closes the storage pool.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const logger = options.logger ?? createLogger();
  const rules = options.syncRules ?? (await readSyncRules(options.syncRulesPath ?? ''));
  const verify = createTokenVerifier({
    jwksUrl: options.jwksUrl,
    audience: options.jwtAudience ?? 'powersync',
    ...(options.jwksRefetchCooldownMs === undefined ? {} : { refetchCooldownMs: options.jwksRefetchCooldownMs }),
  });
  const service = await SyncService.start({
    databaseUrl: options.databaseUrl,
    storageSchema: options.storageSchema ?? 'powersync_storage',
    rules,
    logger,
    compactIntervalMs: options.compactIntervalMs ?? 0,
    ...(options.statusIntervalMs === undefined ? {} : { statusIntervalMs: options.statusIntervalMs }),
  });

  // Sync streams stay open: closing must not wait for clients to hang up.
  const app = Fastify({ logger: false, forceCloseConnections: true });
  app.decorate('sync', { service, logger: logger.child('sync'), keepaliveMs: options.keepaliveMs ?? 20_000 });
  app.decorate('syncStreams', new Set<AbortController>());
  app.decorate('authenticate', (request: FastifyRequest) => verify(tokenFromHeader(request.headers.authorization)));

  await app.register(cors, {
    origin: '*',
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['Content-Type', 'Authorization', 'User-Agent', 'X-User-Agent'],
    exposedHeaders: ['Content-Type'],
    maxAge: 3600,
  });

  app.setErrorHandler((error, request, reply) => {
    const route = `${request.method} ${request.url.split('?')[0]}`;
    if (error instanceof AuthError) {
      logger.info(`401 ${route}: ${error.code} ${error.message}`);
      return reply.code(401).send({ error: { code: error.code, message: error.message } });
    }
    if (error instanceof SyncRequestError || (error as { validation?: unknown }).validation) {
      const message = error instanceof Error ? error.message : String(error);
      return reply.code(400).send({ error: { code: 'PSYNC_S2001', message } });
    }
    logger.error(`500 ${route}`, error);
    return reply.code(500).send({ error: { code: 'PSYNC_S2002', message: 'Internal error' } });
  });

  await app.register(syncStreamRoute);
  await app.register(writeCheckpointRoutes);
  await app.register(probeRoutes);

  app.addHook('preClose', async () => {
    for (const stream of app.syncStreams) stream.abort();
  });
  app.addHook('onClose', async () => {
    await service.close();
  });
  return app;
}
