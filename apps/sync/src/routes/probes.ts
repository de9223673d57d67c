import type { FastifyInstance } from 'fastify';
import { formatLsn } from '../pg/lsn.ts';

/**
 * Liveness; readiness: replication has streamed, a consistent checkpoint is served and nothing
 * known in Postgres stops replication (a 503 says what does, with the fix); a JSON status.
 */
export async function probeRoutes(app: FastifyInstance): Promise<void> {
  app.get('/probes/liveness', async () => ({ ok: true }));

  app.get('/probes/readiness', async (_request, reply) => {
    const { replicator, bus } = app.sync.service;
    const problems = replicator.problems;
    if (bus.latest !== null && replicator.ready) return { ready: true };
    return reply.code(503).send({
      ready: false,
      phase: replicator.status.phase,
      problems,
      last_error: replicator.status.lastError,
    });
  });

  app.get('/health', async () => {
    const { service } = app.sync;
    const checkpoint = service.bus.latest;
    const problems = service.replicator.problems;
    return {
      status: problems.length > 0 ? 'blocked' : checkpoint ? 'ok' : 'starting',
      problems,
      checkpoint: checkpoint ? { op_id: String(checkpoint.opId), lsn: formatLsn(checkpoint.lsn) } : null,
      replication: service.replicator.status,
      buckets: service.states.size,
      streams: app.syncStreams.size,
      memory: (({ rss, heapUsed, heapTotal, external, arrayBuffers }) => ({
        rss_bytes: rss,
        heap_used_bytes: heapUsed,
        heap_total_bytes: heapTotal,
        external_bytes: external,
        array_buffers_bytes: arrayBuffers,
      }))(process.memoryUsage()),
    };
  });
}
