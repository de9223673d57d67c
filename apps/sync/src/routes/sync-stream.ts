import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { parseSyncRequest } from '../protocol/request.ts';
import { streamSink } from '../sync/line-sink.ts';
import { runSyncStream } from '../sync/sync-stream.ts';

/**
 * `POST /sync/stream`: the client's sync connection, answered with newline-delimited JSON. The
 * body is a PassThrough handed to `reply.send`, so fastify (and the CORS hook) write the headers.
 */
export async function syncStreamRoute(app: FastifyInstance): Promise<void> {
  app.post('/sync/stream', async (request, reply) => {
    const identity = await app.authenticate(request);
    const body = parseSyncRequest(request.body);
    const { service, logger } = app.sync;
    const abort = new AbortController();
    const stream = new PassThrough();
    const sink = streamSink(stream, abort.signal);
    const started = Date.now();
    app.syncStreams.add(abort);
    reply.raw.on('close', () => abort.abort());

    const who = `user=${identity.userId} client=${body.clientId ?? '-'}`;
    logger.info(`client connected: ${who}, ${body.buckets.size} bucket(s) held, from ${request.ip}`);
    runSyncStream(
      {
        bus: service.bus,
        states: service.states,
        reader: service.reader,
        writeCheckpoints: service.writeCheckpoints,
        readLookups: (opId) => service.readLookups(opId),
        rules: () => service.rules,
        keepaliveMs: app.sync.keepaliveMs,
        logger,
      },
      identity,
      body,
      sink,
      abort.signal,
    )
      .catch((error) => {
        if (!abort.signal.aborted) logger.warn(`sync stream of ${who} failed`, error);
      })
      .finally(() => {
        app.syncStreams.delete(abort);
        stream.end();
        const { lines, ops, bytes } = sink.stats;
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        logger.info(`client disconnected: ${who} after ${seconds} s, ${lines} lines, ${ops} ops, ${bytes} bytes`);
      });

    return reply
      .header('content-type', 'application/x-ndjson')
      .header('x-accel-buffering', 'no')
      .header('cache-control', 'no-store')
      .send(stream);
  });
}
