import fp from 'fastify-plugin';
import { ApiError, ApiErrorCode } from '../../errors.ts';
import { applyUpload, type UploadRequest, type UploadResult } from '../../upload/apply-upload.ts';
import { ClientBindings } from '../../upload/client-binding.ts';

export interface UploadCounters {
  requests: number;
  operations: number;
  replayed: number;
  failedRequests: number;
}

export interface UploadService {
  apply(request: Omit<UploadRequest, 'now'>): Promise<UploadResult>;
  readonly counters: UploadCounters;
}

declare module 'fastify' {
  interface FastifyInstance {
    uploads: UploadService;
  }
}

/** The upload adapter as an app service: applies batches, counts them, wakes the worker. */
export default fp(
  async (fastify, options: { clock: () => Date }) => {
    const counters: UploadCounters = { requests: 0, operations: 0, replayed: 0, failedRequests: 0 };
    // Users signed in with a valid token are looked up once: the rows an upload writes name them.
    const knownUsers = new Set<string>();
    const ensureUser = async (id: string) => {
      if (knownUsers.has(id)) return;
      if (!(await fastify.users.get(id))) {
        throw new ApiError(401, ApiErrorCode.InvalidToken, 'The signed-in user no longer exists.');
      }
      knownUsers.add(id);
    };
    const clients = new ClientBindings(fastify.db);
    fastify.decorate('uploads', {
      counters,
      async apply(request) {
        counters.requests += 1;
        try {
          await ensureUser(request.actor.id);
          await clients.check(request.clientId, request.actor.id);
          const result = await applyUpload(fastify.db, { ...request, now: options.clock().toISOString() });
          counters.operations += request.entries.length;
          counters.replayed += result.replayed;
          if (result.queuedFieldChanges) fastify.fieldChanges.trigger();
          return result;
        } catch (error) {
          counters.failedRequests += 1;
          throw error;
        }
      },
    });
  },
  { name: 'uploads', dependencies: ['db', 'users', 'field-changes'] },
);
