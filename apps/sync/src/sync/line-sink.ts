import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Where a sync stream writes its lines; `write` waits while the client is not reading (backpressure). */
export interface LineSink {
  write(line: string): Promise<void>;
  readonly stats: { lines: number; bytes: number; ops: number };
}

export function streamSink(stream: Writable, signal: AbortSignal): LineSink {
  const stats = { lines: 0, bytes: 0, ops: 0 };
  return {
    stats,
    async write(line) {
      if (signal.aborted || stream.destroyed) return;
      stats.lines += 1;
      stats.bytes += Buffer.byteLength(line);
      if (!stream.write(line)) {
        await once(stream, 'drain', { signal }).catch(() => {});
      }
    },
  };
}
