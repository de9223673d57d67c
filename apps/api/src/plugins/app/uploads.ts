import { policy } from '@cr/demo-domain';
import { createUploadHandler, type UploadHandler } from '@cr/upload-engine';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    uploads: UploadHandler;
  }
}

/**
 * The upload engine with the demo's policy: applies uploads (POST /api/data, routes/api/data),
 * counts them for the metrics, and wakes the field-change worker when an upload queued changes.
 */
export default fp(
  async (fastify, options: { clock: () => Date; maxOperations: number }) => {
    const handler = createUploadHandler({
      pool: fastify.db,
      policy,
      clock: options.clock,
      maxOperations: options.maxOperations,
      onFieldChangesQueued: () => fastify.fieldChanges.trigger(),
    });
    fastify.decorate('uploads', handler);
  },
  { name: 'uploads', dependencies: ['db'] },
);
