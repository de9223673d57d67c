import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';

const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  database: Type.Union([Type.Literal('ok'), Type.Literal('unreachable')]),
  field_change_worker: Type.Object({
    running: Type.Boolean(),
    pending: Type.Union([Type.Integer(), Type.Null()]),
    last_run_at: Type.Union([Type.String(), Type.Null()]),
    last_error: Type.Union([Type.String(), Type.Null()]),
  }),
});

/** GET /api/health — 200 when the database answers, 503 otherwise. */
const healthRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', { schema: { response: { 200: Health, 503: Health } } }, async (_request, reply) => {
    const worker = fastify.fieldChanges.status;
    let pending: number | null = null;
    try {
      const { rows } = await fastify.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM field_changes WHERE status = 'pending'`,
      );
      pending = rows[0]?.n ?? 0;
    } catch {
      reply.code(503);
    }
    return {
      status: pending === null ? 'degraded' : 'ok',
      database: pending === null ? 'unreachable' : 'ok',
      field_change_worker: {
        running: worker.running,
        pending,
        last_run_at: worker.lastRunAt,
        last_error: worker.lastError,
      },
    } as const;
  });
};

export default healthRoutes;
