import { Transform, type TransformCallback } from 'node:stream';

/** How much of an oversized body is drained before answering: generous, but bounded. */
export function drainLimitFor(limit: number): number {
  return Math.min(Math.max(4 * limit, 64 * 1024 * 1024), 1024 * 1024 * 1024);
}

/** A request body over the limit: answered 413 BODY_TOO_LARGE once it was read to its end. */
export class BodyTooLarge extends Error {
  readonly code = 'FST_ERR_CTP_BODY_TOO_LARGE';
  readonly statusCode = 413;
  constructor() {
    super('Request body is too large');
  }
}

/**
 * Counts a request body on its way to the parser and, past the limit, keeps reading it but passes
 * nothing on; at its end the parser gets "too large". So the client is answered 413 after it has
 * sent everything, instead of having its connection closed while it is still sending, which a
 * browser (or a proxy in between) reports as a reset: a network error, retried forever, with the
 * 413 never seen. Bodies beyond `drainLimit` are cut off at once.
 */
export class LimitedBody extends Transform {
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
    if (this.#received > this.drainLimit) callback(new BodyTooLarge());
    else if (this.#received > this.limit) callback();
    else callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    callback(this.#received > this.limit ? new BodyTooLarge() : null);
  }
}

/**
 * Reads a request body (a Node `IncomingMessage`, or any byte stream) as text, under the body
 * limit of the over-limit policy: an oversized body is read to its end (up to the drain limit)
 * and then reported as too large, so the client sees a 413 rather than a reset connection.
 */
export async function readBody(
  stream: NodeJS.ReadableStream,
  limit: number,
): Promise<{ text: string } | { tooLarge: true }> {
  const limited = new LimitedBody(limit, drainLimitFor(limit));
  const chunks: Buffer[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      stream.on('error', reject);
      limited.on('data', (chunk: Buffer) => chunks.push(chunk));
      limited.on('end', resolve);
      limited.on('error', reject);
      stream.pipe(limited);
    });
  } catch (error) {
    if (error instanceof BodyTooLarge) return { tooLarge: true };
    throw error;
  }
  return { text: Buffer.concat(chunks).toString('utf8') };
}
