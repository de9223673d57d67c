import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';

const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  database: Type.Union([Type.Literal('ok'), Type.Literal('unreachable')]),
  field_change_worker: Type.Object({
    running: Type.Boolean(),
    pending: Type.Union([Type.Integer(), Type.Null()]),
    /** How long the longest-waiting pending change has waited, ms. */
    oldest_pending_ms: Type.Union([Type.Integer(), Type.Null()]),
    /** Some change has waited longer than FIELD_CHANGE_STUCK_MS, or the last run failed. */
    stuck: Type.Boolean(),
    last_run_at: Type.Union([Type.String(), Type.Null()]),
    last_error: Type.Union([Type.String(), Type.Null()]),
  }),
  /** What is wrong, in sentences; empty when the status is ok. */
  problems: Type.Array(Type.String()),
});

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

/**
 * GET /api/health — `ok`, or `degraded` with the problems in sentences.
 *
 * 503 only when the database does not answer: this instance cannot take uploads. A stuck
 * field-change worker (a change pending longer than FIELD_CHANGE_STUCK_MS, or its last run failed)
 * is `degraded` with 200: uploads still work, and taking the instance out of a load balancer
 * would not help the worker, which runs on every instance against the same database.
 */
const healthRoutes: FastifyPluginAsyncTypebox<{ stuckAfterMs: number; clock: () => Date }> = async (
  fastify,
  options,
) => {
  fastify.get('/', { schema: { response: { 200: Health, 503: Health } } }, async (_request, reply) => {
    const worker = fastify.fieldChanges.status;
    let pending: number | null = null;
    let oldest: number | null = null;
    try {
      ({ pending, oldestMs: oldest } = await fastify.fieldChanges.backlog(options.clock()));
    } catch {
      reply.code(503);
    }
    const problems: string[] = [];
    if (pending === null) problems.push('The database does not answer.');
    const late = oldest !== null && oldest > options.stuckAfterMs;
    if (late && pending !== null) {
      problems.push(
        `${pending === 1 ? '1 field change has' : `${pending} field changes have`} been pending for more than ` +
          `${seconds(options.stuckAfterMs)} (the oldest for ${seconds(oldest ?? 0)}): the field-change worker is not applying them.`,
      );
    }
    if (worker.lastError) problems.push(`The field-change worker's last run failed: ${worker.lastError}`);
    return {
      status: problems.length === 0 ? 'ok' : 'degraded',
      database: pending === null ? 'unreachable' : 'ok',
      field_change_worker: {
        running: worker.running,
        pending,
        oldest_pending_ms: oldest === null ? null : Math.round(oldest),
        stuck: late || worker.lastError !== null,
        last_run_at: worker.lastRunAt,
        last_error: worker.lastError,
      },
      problems,
    } as const;
  });
};

export default healthRoutes;
