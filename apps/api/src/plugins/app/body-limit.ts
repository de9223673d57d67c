import { Transform, type TransformCallback } from 'node:stream';
import fp from 'fastify-plugin';

export interface BodyLimitOptions {
  /** Largest accepted body, bytes: above it the answer is 413 BODY_TOO_LARGE. */
  limit: number;
  /** Up to this many bytes of an oversized body are read and discarded before answering. */
  drainLimit: number;
}

/** The error Fastify's body parser answers with; the app's error handler makes it a 413. */
function tooLarge(): Error {
  return Object.assign(new Error('Request body is too large'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 });
}

/**
 * Counts a request body on its way to the parser and, past the limit, keeps reading it but passes
 * nothing on; at its end the parser gets "too large". So the client is answered 413 after it has
 * sent everything, instead of having its connection closed while it is still sending, which a
 * browser (or a proxy in between) reports as a reset: a network error, retried forever, with the
 * 413 never seen. Bodies beyond `drainLimit` are cut off at once.
 */
class LimitedBody extends Transform {
  #received = 0;
  constructor(
    private readonly limit: number,
    private readonly drainLimit: number,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#received += chunk.length;
    // Past the limit the chunk is read and discarded; past the drain limit the request is cut off.
    if (this.#received > this.drainLimit) callback(tooLarge());
    else if (this.#received > this.limit) callback();
    else callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    callback(this.#received > this.limit ? tooLarge() : null);
  }
}

/**
 * The body limit, enforced so that an oversized request is read to its end and then answered 413.
 * Fastify's own limit (set to `drainLimit` in buildApp) only cuts off what is too large to drain.
 */
/** How much of an oversized body is drained before answering: generous, but bounded. */
export function drainLimitFor(limit: number): number {
  return Math.min(Math.max(4 * limit, 64 * 1024 * 1024), 1024 * 1024 * 1024);
}

export default fp(
  async (fastify, options: BodyLimitOptions) => {
    fastify.addHook('preParsing', async (request, _reply, payload) => {
      const length = Number(request.headers['content-length']);
      if (Number.isFinite(length) && length > options.drainLimit) throw tooLarge();
      const limited = new LimitedBody(options.limit, options.drainLimit);
      payload.on('error', (error) => limited.destroy(error));
      return payload.pipe(limited);
    });
  },
  { name: 'body-limit' },
);
