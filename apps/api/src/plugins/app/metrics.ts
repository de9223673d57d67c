import { normalizeTimestamp } from '@cr/schema';
import fp from 'fastify-plugin';
import type { Static } from 'typebox';
import { ApiError, ApiErrorCode } from '../../errors.ts';
import type { MetricsResponse } from '../../schemas/metrics.ts';

type Metrics = Static<typeof MetricsResponse>;

declare module 'fastify' {
  interface FastifyInstance {
    metrics: { snapshot(query: { since?: string; bucket?: 'minute' | 'hour' | 'day' }): Promise<Metrics> };
  }
}

/**
 * Upload outcomes per table and reason, from the ledger (so they survive restarts), the
 * field-change panel's statuses, and the in-process counters.
 */
export default fp(
  async (fastify, options: { clock: () => Date }) => {
    fastify.decorate('metrics', {
      async snapshot(query) {
        const since = query.since
          ? normalizeTimestamp(query.since)
          : new Date(options.clock().getTime() - 24 * 3600_000).toISOString();
        if (since === null)
          throw new ApiError(400, ApiErrorCode.InvalidRequest, 'since must be an ISO 8601 timestamp.');
        const bucket = query.bucket ?? 'hour';
        const [outcomes, timeline, changes, open] = await Promise.all([
          fastify.db.query(
            `SELECT table_name AS table, status, code, count(*)::int AS count
               FROM applied_operations GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
          ),
          fastify.db.query(
            `SELECT to_char(date_trunc($2, created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS bucket,
                    table_name AS table, status, code, count(*)::int AS count
               FROM applied_operations WHERE created_at >= $1 GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
            [since, bucket],
          ),
          fastify.db.query(
            `SELECT status, error_code AS code, count(*)::int AS count FROM field_changes GROUP BY 1, 2 ORDER BY 1, 2`,
          ),
          fastify.db.query<{ count: number }>(
            `SELECT count(*)::int AS count FROM write_conflicts WHERE status = 'open'`,
          ),
        ]);
        const { counters } = fastify.uploads;
        const worker = fastify.fieldChanges.status;
        return {
          uploads: {
            requests: counters.requests,
            operations: counters.operations,
            replayed: counters.replayed,
            failed_requests: counters.failedRequests,
          },
          outcomes: outcomes.rows,
          timeline: timeline.rows,
          field_changes: changes.rows,
          open_conflicts: open.rows[0]?.count ?? 0,
          worker: {
            running: worker.running,
            last_run_at: worker.lastRunAt,
            applied: worker.applied,
            failed: worker.failed,
            last_error: worker.lastError,
          },
        };
      },
    });
  },
  { name: 'metrics', dependencies: ['db', 'uploads', 'field-changes'] },
);
