import type { FastifyInstance } from 'fastify';
import { WriteCheckpoints } from '../storage/write-checkpoints.ts';

const REQUEST_ID = /^\d{1,19}$/;

/**
 * Write checkpoints (docs/powersync-protocol.md §5). Responses are wrapped in `{data: …}` as the
 * official service's routes are; the client reads `response.data.write_checkpoint`.
 */
export async function writeCheckpointRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: { client_id?: string } }>(
    '/write-checkpoint2.json',
    { schema: { querystring: { type: 'object', properties: { client_id: { type: 'string', maxLength: 200 } } } } },
    async (request) => {
      const { userId } = await app.authenticate(request);
      const key = WriteCheckpoints.key(userId, request.query.client_id ?? null);
      const id = await app.sync.service.writeCheckpoints.create(key);
      return { data: { write_checkpoint: id.toString() } };
    },
  );

  /** `checkpointMode: 'requests'`: the client supplies the id, the server keeps the highest. */
  app.post<{ Body: { client_id: string; checkpoint_request_id: string } }>(
    '/sync/checkpoint-request',
    {
      schema: {
        body: {
          type: 'object',
          required: ['client_id', 'checkpoint_request_id'],
          properties: {
            client_id: { type: 'string', maxLength: 200 },
            checkpoint_request_id: { type: 'string', pattern: REQUEST_ID.source },
          },
        },
      },
    },
    async (request) => {
      const { userId } = await app.authenticate(request);
      const key = WriteCheckpoints.key(userId, request.body.client_id);
      const id = await app.sync.service.writeCheckpoints.request(key, BigInt(request.body.checkpoint_request_id));
      return { data: { checkpoint_request_id: id.toString() } };
    },
  );
}
