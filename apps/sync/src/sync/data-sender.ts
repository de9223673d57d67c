import { type BucketChecksum, partialCheckpointCompleteLine } from '../protocol/lines.ts';
import type { BucketState } from '../storage/bucket-states.ts';
import type { OpReader } from '../storage/op-reader.ts';
import type { EncodedOp } from '../storage/recent-ops.ts';
import type { DeployClear } from './deploy-clear.ts';
import type { LineSink } from './line-sink.ts';
import type { PartialCompletions } from './partial-completions.ts';

/** At most this many ops per data line (and per bucket per storage round trip)... */
export const OPS_PER_LINE = 4000;
/** ...and lines of about this size at most (as the official service: 1 MiB). */
export const LINE_BYTES = 1024 * 1024;

/** Splits a bucket's ops into data lines by count and size (of the encoding the sink writes). */
function* lines(ops: readonly EncodedOp[], bson: boolean): Generator<EncodedOp[]> {
  let chunk: EncodedOp[] = [];
  let bytes = 0;
  for (const op of ops) {
    chunk.push(op);
    bytes += bson ? op.bson.length : op.json.length;
    if (chunk.length >= OPS_PER_LINE || bytes >= LINE_BYTES) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
  }
  if (chunk.length > 0) yield chunk;
}

export interface SendDataOptions {
  buckets: readonly BucketChecksum[];
  /** Bucket → op id the client has; updated as data is sent. */
  after: Map<string, number>;
  state: (bucket: string) => BucketState;
  upTo: number;
  rawData: boolean;
  reader: OpReader;
  sink: LineSink;
  signal: AbortSignal;
  /**
   * The deploy's leading CLEAR of every bucket (deploy-clear.ts); a bucket the client starts
   * (`after` 0) is sent even when it has no ops. Null only in tests of other behaviour.
   */
  deploy: DeployClear | null;
  /** Decides which partial completions keep transactions whole (none given: every one is sent). */
  completions?: PartialCompletions;
  /**
   * Buckets whose priority gets its group (and so its partial completion) even when the client
   * lacks no data in them: as the official service, every bucket of the connection's first
   * checkpoint, and the changed ones of a diff. Default: only buckets that need data.
   */
  toFetch?: ReadonlySet<string>;
}

/**
 * Sends the data of one checkpoint: buckets grouped by priority, highest first (lowest number),
 * each group but the last followed by `partial_checkpoint_complete` so the client can show it
 * before the rest arrives (and a priority-0 group always), unless that could show part of a
 * transaction (see partial-completions.ts). A group with nothing to send still gets its
 * completion, as from the official service. The caller sends `checkpoint_complete`.
 */
export async function sendCheckpointData(options: SendDataOptions): Promise<void> {
  const { after, upTo, sink, signal, completions, deploy } = options;
  const byName = new Map(options.buckets.map((b) => [b.bucket, b]));
  // Buckets the client starts here: they get the deploy's leading CLEAR first.
  const fresh = new Set(
    deploy === null ? [] : options.buckets.filter((b) => (after.get(b.bucket) ?? 0) === 0).map((b) => b.bucket),
  );
  const needing = options.buckets.filter(
    (b) => fresh.has(b.bucket) || (after.get(b.bucket) ?? 0) < Math.min(upTo, options.state(b.bucket).lastOpId),
  );
  const grouped = options.toFetch ? options.buckets.filter((b) => options.toFetch?.has(b.bucket)) : [];
  const priorities = [...new Set([...needing, ...grouped].map((b) => b.priority))].sort((a, b) => a - b);
  for (const [index, priority] of priorities.entries()) {
    let pending = needing.filter((b) => b.priority === priority).map((b) => b.bucket);
    while (pending.length > 0 && !signal.aborted) {
      const ranges = pending.map((bucket) => ({ bucket, after: after.get(bucket) ?? 0 }));
      const batches = await options.reader.read(ranges, upTo, OPS_PER_LINE, options.rawData);
      const more: string[] = [];
      for (const batch of batches) {
        const ops = deploy === null ? batch.ops : deploy.ops(batch.bucket, batch.ops, fresh.delete(batch.bucket));
        let sent = 0;
        for (const chunk of lines(ops, sink.encoding === 'bson')) {
          const last = chunk[chunk.length - 1] as EncodedOp;
          sent += chunk.length;
          const hasMore = batch.hasMore || sent < ops.length;
          const from = after.get(batch.bucket) ?? 0;
          await sink.data(batch.bucket, chunk, from, last.opId, hasMore);
          sink.stats.ops += chunk.length;
          after.set(batch.bucket, last.opId);
        }
        const described = byName.get(batch.bucket);
        if (described) completions?.sent(described, batch.ops);
        if (batch.hasMore) more.push(batch.bucket);
      }
      pending = more;
    }
    // Priority 0 gets its partial completion even as the last group: only a partial completion of
    // priority 0 may be applied while the client has uploads pending (a full one waits for them).
    const wanted = index < priorities.length - 1 || priority === 0;
    if (wanted && !signal.aborted && (completions?.mayComplete(priority) ?? true)) {
      await sink.write(partialCheckpointCompleteLine(upTo, priority));
      completions?.completedPartially(options.buckets, priority);
    }
  }
}
