import { ErrorResponse, UploadBody, UploadResponse } from '@cr/connector-kit/contract';
import { textProblem } from '@cr/schema';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ApiError, ApiErrorCode } from '../../../errors.ts';

/**
 * POST /api/data — the upload endpoint the connector's uploadData() calls with one client
 * transaction. 200 means the server owns the fate of every operation (see the outcomes); 4xx that
 * the request could not be read or attributed; 503 that it should be retried later.
 */
const dataRoutes: FastifyPluginAsyncTypebox<{ maxOperations: number }> = async (fastify, options) => {
  fastify.post(
    '/',
    {
      onRequest: fastify.authenticate,
      // Before the schema: an upload over the limit can never be accepted as sent, and says so
      // with its own code, so the client can show it and let the user export or discard it.
      preValidation: async (request) => {
        const batch = (request.body as { batch?: unknown } | null)?.batch;
        if (Array.isArray(batch) && batch.length > options.maxOperations) {
          throw new ApiError(
            413,
            ApiErrorCode.TooManyOperations,
            `This upload has ${batch.length} operations; this server accepts at most ${options.maxOperations} in one transaction.`,
          );
        }
      },
      schema: {
        body: UploadBody,
        response: {
          200: UploadResponse,
          400: ErrorResponse,
          401: ErrorResponse,
          403: ErrorResponse,
          413: ErrorResponse,
          503: ErrorResponse,
        },
      },
    },
    async (request) => {
      const actor = request.actor;
      if (!actor) throw new Error('authenticate did not set the actor');
      // The client id keys the ledger: it is stored as it is sent, never altered, so one that
      // Postgres cannot store is refused. PowerSync's client ids are UUIDs.
      const problem = textProblem(request.body.client_id);
      if (problem) {
        throw new ApiError(400, ApiErrorCode.InvalidClientId, `The client_id cannot be used: ${problem}.`);
      }
      const result = await fastify.uploads.apply({
        actor,
        clientId: request.body.client_id,
        entries: request.body.batch,
      });
      return { outcomes: result.outcomes };
    },
  );
};

export default dataRoutes;
