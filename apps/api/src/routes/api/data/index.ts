import { uploadRoute } from '@cr/upload-engine/fastify';
import type { FastifyPluginAsync } from 'fastify';
import { ApiError, ApiErrorCode } from '../../../errors.ts';

/**
 * POST /api/data — the upload endpoint the connector's uploadData() calls with one client
 * transaction: the upload engine's Fastify adapter (the contract's schemas, the over-limit
 * policy), with the demo's sign-in. 200 means the server owns the fate of every operation; 4xx
 * that the request could not be read or attributed; 503 that it should be retried later.
 */
const dataRoutes: FastifyPluginAsync<{ bodyLimit: number }> = async (fastify, options) => {
  // Users signed in with a valid token are looked up once: the rows an upload writes name them.
  const knownUsers = new Set<string>();
  await fastify.register(uploadRoute, {
    handler: fastify.uploads,
    bodyLimit: options.bodyLimit,
    async authenticate(request) {
      await fastify.authenticate(request);
      const actor = request.actor;
      if (!actor) throw new Error('authenticate did not set the actor');
      if (!knownUsers.has(actor.id)) {
        if (!(await fastify.users.get(actor.id))) {
          throw new ApiError(401, ApiErrorCode.InvalidToken, 'The signed-in user no longer exists.');
        }
        knownUsers.add(actor.id);
      }
      return actor;
    },
  });
};

export default dataRoutes;
