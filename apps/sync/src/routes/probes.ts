import type { FastifyInstance } from 'fastify';

/** Liveness, readiness (a consistent checkpoint is being served) and a JSON status for operators. */
export async function probeRoutes(app: FastifyInstance): Promise<void> {
  app.get('/probes/liveness', async () => ({ ok: true }));

  app.get('/probes/readiness', async (_request, reply) => {
    const ready = app.sync.service.bus.latest !== null;
    return reply.code(ready ? 200 : 503).send({ ready });
  });

  app.get('/health', async () => {
    const { service } = app.sync;
    const checkpoint = service.bus.latest;
    return {
      status: checkpoint ? 'ok' : 'starting',
      checkpoint: checkpoint ? { op_id: String(checkpoint.opId) } : null,
      replication: service.replicator.status,
      buckets: service.states.size,
      streams: app.syncStreams.size,
      memory: { rss_bytes: process.memoryUsage.rss() },
    };
  });
}
