import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { serialize } from 'bson';
import { bsonDataLine } from '../protocol/bson-lines.ts';
import { dataLine } from '../protocol/lines.ts';
import type { EncodedOp } from '../storage/recent-ops.ts';

/** Where a sync stream writes its lines; `write` waits while the client is not reading (backpressure). */
export interface LineSink {
  readonly encoding: LineEncoding;
  /** One line of newline-delimited JSON (the protocol's lines, as `protocol/lines.ts` builds them). */
  write(line: string): Promise<void>;
  /** A data line, encoded from each op's cached JSON or BSON. */
  data(bucket: string, ops: readonly EncodedOp[], after: number, nextAfter: number, hasMore: boolean): Promise<void>;
  /** `bytes`: as encoded (ndjson or BSON), before any compression. */
  readonly stats: { lines: number; bytes: number; ops: number };
}

/** How lines go on the wire (routes/stream-encoding.ts negotiates it). */
export type LineEncoding = 'ndjson' | 'bson';

/**
 * BSON as the official service sends it: one document per line, concatenated (the document's own
 * length prefix is the framing). Numbers become int32 when they fit, doubles otherwise (the js-bson
 * rule, which the client's deserializer accepts for checksums and counts); op ids stay strings and
 * op data stays a JSON string (the client's core requires both in BSON).
 */
export function bsonLine(line: string): Buffer {
  return Buffer.from(serialize(JSON.parse(line) as Record<string, unknown>));
}

export function streamSink(stream: Writable, signal: AbortSignal, encoding: LineEncoding = 'ndjson'): LineSink {
  const stats = { lines: 0, bytes: 0, ops: 0 };
  const send = async (chunk: string | Buffer) => {
    if (signal.aborted || stream.destroyed) return;
    stats.lines += 1;
    stats.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    if (!stream.write(chunk)) {
      await once(stream, 'drain', { signal }).catch(() => {});
    }
  };
  return {
    encoding,
    stats,
    write: (line) => send(encoding === 'bson' ? bsonLine(line) : line),
    data: (bucket, ops, after, nextAfter, hasMore) =>
      send(
        encoding === 'bson'
          ? bsonDataLine(
              bucket,
              ops.map((op) => op.bson),
              after,
              nextAfter,
              hasMore,
            )
          : dataLine(
              bucket,
              ops.map((op) => op.json),
              after,
              nextAfter,
              hasMore,
            ),
      ),
  };
}
