import fp from 'fastify-plugin';
import { BodyTooLarge, LimitedBody } from '../http/read-body.ts';

export interface BodyLimitOptions {
  /** Largest accepted body, bytes: above it the answer is 413 BODY_TOO_LARGE. */
  limit: number;
  /** Up to this many bytes of an oversized body are read and discarded before answering. */
  drainLimit: number;
}

/**
 * The body limit of the over-limit policy, for Fastify: an oversized request is read to its end
 * and then answered 413 (see `LimitedBody`). Fastify's own `bodyLimit` (set to `drainLimit` on the
 * route) only cuts off what is too large to drain.
 */
export default fp(
  async (fastify, options: BodyLimitOptions) => {
    fastify.addHook('preParsing', async (request, _reply, payload) => {
      const length = Number(request.headers['content-length']);
      if (Number.isFinite(length) && length > options.drainLimit) throw new BodyTooLarge();
      const limited = new LimitedBody(options.limit, options.drainLimit);
      payload.on('error', (error) => limited.destroy(error));
      return payload.pipe(limited);
    });
  },
  { name: 'body-limit' },
);
