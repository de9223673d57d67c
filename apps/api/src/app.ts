import { classifyPgError } from '@cr/upload-engine';
import cors from '@fastify/cors';
import { type TypeBoxTypeProvider, TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import type pg from 'pg';
import type { ApiConfig } from './env.ts';
import { ApiError, ApiErrorCode } from './errors.ts';
import auth from './plugins/app/auth.ts';
import fieldChanges from './plugins/app/field-changes.ts';
import metrics from './plugins/app/metrics.ts';
import uploads from './plugins/app/uploads.ts';
import users from './plugins/app/users.ts';
import db from './plugins/external/db.ts';
import authRoutes from './routes/api/auth/index.ts';
import dataRoutes from './routes/api/data/index.ts';
import healthRoutes from './routes/api/health/index.ts';
import metricsRoutes from './routes/api/metrics/index.ts';

export interface AppOptions {
  config: ApiConfig;
  /** Use this pool instead of opening one (tests, benchmarks). */
  pool?: pg.Pool;
  /** The server clock (tests pin it). */
  clock?: () => Date;
  /** Start the field-change worker when the app is ready (default true). */
  startWorker?: boolean;
}

/** The app as a plugin: external deps, app services, routes mirroring the URL tree. */
export default async function app(fastify: FastifyInstance, options: AppOptions): Promise<void> {
  const { config } = options;
  const clock = options.clock ?? (() => new Date());
  fastify.setErrorHandler(errorHandler);
  fastify.setNotFoundHandler((request, reply) => {
    reply
      .code(404)
      .send({ error: { code: ApiErrorCode.NotFound, message: `No route ${request.method} ${request.url}.` } });
  });

  await fastify.register(cors, {
    origin: config.corsOrigin === '*' ? true : config.corsOrigin.split(','),
    allowedHeaders: ['Content-Type', 'Authorization', 'X-User-Agent'],
    maxAge: 3600,
  });
  await fastify.register(db, { databaseUrl: config.databaseUrl, ...(options.pool ? { pool: options.pool } : {}) });
  await fastify.register(auth, {
    privateJwk: config.jwtPrivateJwk,
    audience: config.jwtAudience,
    tokenTtlSeconds: config.tokenTtlSeconds,
  });
  await fastify.register(users);
  await fastify.register(uploads, { clock, maxOperations: config.maxOperations });
  await fastify.register(fieldChanges, {
    sweepMs: config.fieldChangeSweepMs,
    autoStart: options.startWorker ?? true,
    clock,
  });
  await fastify.register(metrics, { clock });

  await fastify.register(authRoutes, {
    prefix: '/api/auth',
    powersyncUrl: config.powersyncUrl,
    devTokens: config.devTokens,
  });
  await fastify.register(dataRoutes, { prefix: '/api/data', bodyLimit: config.bodyLimit });
  await fastify.register(healthRoutes, { prefix: '/api/health', stuckAfterMs: config.fieldChangeStuckMs, clock });
  await fastify.register(metricsRoutes, { prefix: '/api/metrics' });
}

/** Builds a ready-to-listen (or inject) instance with the app registered. */
export async function buildApp(options: AppOptions, server: FastifyServerOptions = {}): Promise<FastifyInstance> {
  const fastify = Fastify({ logger: false, ...server })
    .withTypeProvider<TypeBoxTypeProvider>()
    .setValidatorCompiler(TypeBoxValidatorCompiler);
  // Not encapsulated, so callers (tests, benchmarks) reach the app's decorators: fastify.auth, .db …
  await fastify.register(fp(app, { name: 'app' }), options);
  return fastify;
}

function errorHandler(
  this: FastifyInstance,
  error: FastifyError,
  request: { log: FastifyInstance['log'] },
  reply: import('fastify').FastifyReply,
) {
  const send = (status: number, code: string, message: string) => reply.code(status).send({ error: { code, message } });
  if (error instanceof ApiError) return send(error.statusCode, error.code, error.message);
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return send(413, ApiErrorCode.BodyTooLarge, 'The request body is larger than this server accepts.');
  }
  if (
    error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
    error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
    error instanceof SyntaxError
  ) {
    return send(400, ApiErrorCode.InvalidJson, 'The request body is not valid JSON.');
  }
  if (error.validation) {
    return send(400, ApiErrorCode.InvalidRequest, `Invalid request: ${error.message}.`);
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return send(error.statusCode, ApiErrorCode.InvalidRequest, error.message);
  }
  if (classifyPgError(error) === 'unavailable') {
    reply.header('retry-after', '5');
    return send(503, ApiErrorCode.DatabaseUnavailable, 'The database is unavailable; try again shortly.');
  }
  request.log.error({ err: error }, 'unhandled error');
  return send(500, ApiErrorCode.Internal, 'Something went wrong on the server; the request can be retried.');
}
