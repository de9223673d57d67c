import Fastify, { type FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { ApiConfig } from '../src/env.ts';
import auth from '../src/plugins/app/auth.ts';
import { applyBaseline } from './baseline.ts';
import type { Batch } from './workload.ts';

/**
 * The reference snippets' way as a real endpoint, for a fair comparison with `POST /api/data`:
 * the same kind of server (Fastify), the same token verification (the app's auth plugin, with its
 * verified-token cache), the same JSON body `{ client_id, batch }`, and per request one database
 * transaction with, per operation, SELECT … FOR UPDATE and one UPDATE/INSERT
 * (bench/baseline.ts with `lock`). It answers `{ outcomes: [{ op_id, status }] }`.
 *
 * What it leaves out, and the API does not: no ledger (a redelivered upload is applied twice), no
 * validation of the body beyond JSON, no rules, no per-field merge, no client-id ownership check.
 * PowerSync's reference write implementation (powersync-reference-write-implementation,
 * backend/src/persistence/postgres) sends per request BEGIN, a set_config of the user, one
 * UPDATE/upsert per operation (no read) and COMMIT; the conflict-resolution snippets add the
 * read of the server row, which is what this endpoint does.
 */
export async function buildNaiveServer(config: ApiConfig, pool: pg.Pool): Promise<FastifyInstance> {
  const fastify = Fastify({ logger: false, bodyLimit: config.bodyLimit });
  await fastify.register(auth, {
    privateJwk: config.jwtPrivateJwk,
    audience: config.jwtAudience,
    tokenTtlSeconds: config.tokenTtlSeconds,
  });
  fastify.post('/api/data', {
    onRequest: async (request) => fastify.authenticate(request),
    handler: async (request, reply) => {
      const body = request.body as { client_id?: unknown; batch?: unknown };
      if (!Array.isArray(body?.batch) || typeof body.client_id !== 'string') {
        return reply.code(400).send({ error: { code: 'INVALID_REQUEST', message: 'Send { client_id, batch }.' } });
      }
      const user = request.actor?.id === 'dan' ? 'dan' : 'carol';
      const entries = body.batch as Batch['entries'];
      const statuses = await applyBaseline(pool, { user, entries }, 'transaction', { lock: true });
      return { outcomes: entries.map((entry, i) => ({ op_id: entry.op_id, status: statuses[i] })) };
    },
  });
  fastify.setErrorHandler((error, _request, reply) => {
    const { statusCode = 500, message = String(error) } = error as { statusCode?: number; message?: string };
    reply.code(statusCode).send({ error: { code: 'NAIVE_ERROR', message } });
  });
  return fastify;
}
