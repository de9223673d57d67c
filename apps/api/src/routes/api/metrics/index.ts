import { ErrorResponse } from '@cr/connector-kit/contract';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MetricsQuery, MetricsResponse } from '../../../schemas/metrics.ts';

/**
 * GET /api/metrics — applied / merged / rejected / conflict counts per table and reason. For
 * signed-in users only: the counts describe everyone's work.
 */
const metricsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/',
    {
      onRequest: fastify.authenticate,
      schema: {
        querystring: MetricsQuery,
        response: { 200: MetricsResponse, 400: ErrorResponse, 401: ErrorResponse },
      },
    },
    (request) => fastify.metrics.snapshot(request.query),
  );
};

export default metricsRoutes;
