import { pipeline } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { parseSyncRequest } from '../protocol/request.ts';
import { streamSink } from '../sync/line-sink.ts';
import { runSyncStream } from '../sync/sync-stream.ts';
import { ByteCounter, compressor, negotiateStreamEncoding } from './stream-encoding.ts';

/**
 * `POST /sync/stream`: the client's sync connection, answered with newline-delimited JSON or BSON
 * as its `Accept` header prefers, gzip-compressed when `Accept-Encoding` allows it (as the official
 * service). The body is a stream handed to `reply.send`, so fastify (and the CORS hook) write the
 * headers.
 */
export async function syncStreamRoute(app: FastifyInstance): Promise<void> {
  app.post('/sync/stream', async (request, reply) => {
    const identity = await app.authenticate(request);
    const body = parseSyncRequest(request.body);
    const { service, logger } = app.sync;
    const abort = new AbortController();
    const encoding = negotiateStreamEncoding(request.headers);
    const wire = new ByteCounter();
    const gzip = encoding.compression === 'gzip' ? compressor() : null;
    if (gzip) pipeline(gzip, wire, () => {});
    const stream = gzip ?? wire;
    const sink = streamSink(stream, abort.signal, encoding.lines);
    // BSON lines always carry op data as JSON strings (the client's core accepts nothing else there).
    const syncRequest = encoding.lines === 'bson' ? { ...body, rawData: true } : body;
    const started = Date.now();
    app.syncStreams.add(abort);
    reply.raw.on('close', () => abort.abort());

    const who = `user=${identity.userId} client=${body.clientId ?? '-'}`;
    logger.info(
      `client connected: ${who}, ${body.buckets.size} bucket(s) held, from ${request.ip} ` +
        `(${encoding.lines}${gzip ? ', gzip' : ''})`,
    );
    runSyncStream(
      {
        bus: service.bus,
        states: service.states,
        reader: service.reader,
        writeCheckpoints: service.writeCheckpoints,
        readLookups: (opId) => service.readLookups(opId),
        rules: () => service.rules,
        deployName: () => service.deployName,
        keepaliveMs: app.sync.keepaliveMs,
        logger,
      },
      identity,
      syncRequest,
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
        const sent = gzip ? `${bytes} bytes (${wire.bytes} compressed)` : `${bytes} bytes`;
        logger.info(`client disconnected: ${who} after ${seconds} s, ${lines} lines, ${ops} ops, ${sent}`);
      });

    if (gzip) reply.header('content-encoding', 'gzip');
    const vary = reply.getHeader('vary'); // CORS may have set `Origin`
    return reply
      .header('content-type', encoding.contentType)
      .header('vary', [vary, 'Accept', 'Accept-Encoding'].filter(Boolean).join(', '))
      .header('x-accel-buffering', 'no')
      .header('cache-control', 'no-store')
      .send(wire);
  });
}
