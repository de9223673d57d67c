import http from 'node:http';
import zlib from 'node:zlib';

export interface WireCount {
  /** Bytes received on the socket (after compression, if any). */
  wireBytes: number;
  /** Bytes of the lines themselves (before compression). */
  lineBytes: number;
  contentType: string;
  contentEncoding: string | null;
  ms: number;
}

/**
 * Reads `/sync/stream` with the given `Accept` / `Accept-Encoding` until the first
 * `checkpoint_complete`, counting the bytes on the wire. node:http, not fetch: fetch decompresses
 * before anyone can count.
 */
export function countInitialSync(
  baseUrl: string,
  token: string,
  accept: string,
  acceptEncoding: string,
): Promise<WireCount> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.request(`${baseUrl}/sync/stream`, {
      method: 'POST',
      headers: {
        authorization: `Token ${token}`,
        'content-type': 'application/json',
        accept,
        'accept-encoding': acceptEncoding,
      },
    });
    request.on('error', reject);
    request.on('response', (response) => {
      const contentType = String(response.headers['content-type']);
      const contentEncoding = response.headers['content-encoding'] ?? null;
      const bson = contentType === 'application/vnd.powersync.bson-stream';
      let wireBytes = 0;
      let lineBytes = 0;
      let pending = Buffer.alloc(0);
      let done = false;
      const finish = () => {
        done = true;
        resolve({ wireBytes, lineBytes, contentType, contentEncoding, ms: performance.now() - started });
        request.destroy();
      };
      const onLines = (chunk: Buffer) => {
        if (done) return;
        lineBytes += chunk.length;
        pending = Buffer.concat([pending, chunk]);
        for (;;) {
          let line: string | null = null;
          if (bson) {
            if (pending.length < 4 || pending.length < pending.readInt32LE(0)) break;
            const length = pending.readInt32LE(0);
            // The key of a document's first element starts at byte 5: enough to spot the line's kind.
            line = pending.subarray(5, Math.min(length, 40)).toString('latin1');
            pending = pending.subarray(length);
          } else {
            const newline = pending.indexOf(10);
            if (newline < 0) break;
            line = pending.subarray(0, Math.min(newline, 40)).toString('latin1');
            pending = pending.subarray(newline + 1);
          }
          if (line.includes('checkpoint_complete') && !line.includes('partial')) return finish();
        }
      };
      response.on('data', (chunk: Buffer) => {
        wireBytes += chunk.length;
      });
      if (contentEncoding === 'gzip') {
        const gunzip = zlib.createGunzip();
        gunzip.on('data', onLines);
        gunzip.on('error', (error) => done || reject(error));
        response.pipe(gunzip);
      } else {
        response.on('data', onLines);
      }
      response.on('error', (error) => done || reject(error));
      response.on('end', () => done || reject(new Error('the stream ended before checkpoint_complete')));
    });
    request.end(JSON.stringify({ buckets: [], include_checksum: true, raw_data: true, client_id: 'bench-bytes' }));
  });
}
