import { Transform, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';
import Negotiator from 'negotiator';
import type { LineEncoding } from '../sync/line-sink.ts';

export const NDJSON = 'application/x-ndjson';
export const BSON_STREAM = 'application/vnd.powersync.bson-stream';

export interface StreamEncoding {
  lines: LineEncoding;
  /** `Content-Type`, without a charset: the client compares it to the BSON type exactly. */
  contentType: typeof NDJSON | typeof BSON_STREAM;
  compression: 'gzip' | 'identity';
}

/**
 * What the official service negotiates for `/sync/stream` (service-core `sync-stream.ts`,
 * `compression.ts`, with negotiator 1.x): BSON only when `Accept` prefers it over ndjson (no
 * header, `*\/*` or a tie: ndjson); gzip when `Accept-Encoding` allows it (the SDK's fetch asks
 * for `gzip, deflate`). zstd, which the official offers on Node ≥ 22.15, is not offered: this
 * service runs on Node 20.
 */
export function negotiateStreamEncoding(headers: Record<string, string | string[] | undefined>): StreamEncoding {
  const negotiator = new Negotiator({ headers });
  const bson = headers.accept !== undefined && negotiator.mediaType([NDJSON, BSON_STREAM]) === BSON_STREAM;
  const gzip = negotiator.encoding(['identity', 'gzip']) === 'gzip';
  return {
    lines: bson ? 'bson' : 'ndjson',
    contentType: bson ? BSON_STREAM : NDJSON,
    compression: gzip ? 'gzip' : 'identity',
  };
}

/** Compresses with a flush after every line, so nothing a client waits for stays in the compressor. */
export function compressor(): Transform {
  return zlib.createGzip({ flush: zlib.constants.Z_SYNC_FLUSH, level: 1 });
}

/** Counts the bytes that go on the wire (after compression). */
export class ByteCounter extends Transform {
  bytes = 0;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}
