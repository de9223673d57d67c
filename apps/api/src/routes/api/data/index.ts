import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponse } from '../../../schemas/common.ts';
import { UploadBody, UploadResponse } from '../../../schemas/upload.ts';

/**
 * POST /api/data — the upload endpoint the connector's uploadData() calls with one client
 * transaction. 200 means the server owns the fate of every operation (see the outcomes); 4xx that
 * the request could not be read or attributed; 503 that it should be retried later.
 */
const dataRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/',
    {
      onRequest: fastify.authenticate,
      schema: {
        body: UploadBody,
        response: {
          200: UploadResponse,
          400: ErrorResponse,
          401: ErrorResponse,
          413: ErrorResponse,
          503: ErrorResponse,
        },
      },
    },
    async (request) => {
      const actor = request.actor;
      if (!actor) throw new Error('authenticate did not set the actor');
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
