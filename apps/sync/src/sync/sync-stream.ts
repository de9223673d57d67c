import type { HydratedSyncConfig } from '@powersync/service-sync-rules';
import type { Logger } from '../log.ts';
import {
  type BucketChecksum,
  checkpointCompleteLine,
  checkpointDiffLine,
  checkpointLine,
  tokenExpiresInLine,
} from '../protocol/lines.ts';
import type { SyncRequest } from '../protocol/request.ts';
import { BucketResolver, type LookupReader, type ResolvedBuckets } from '../rules/bucket-resolver.ts';
import type { BucketStates } from '../storage/bucket-states.ts';
import type { Checkpoint, CheckpointBus } from '../storage/checkpoint-bus.ts';
import type { OpReader } from '../storage/op-reader.ts';
import { WriteCheckpoints } from '../storage/write-checkpoints.ts';
import { sendCheckpointData } from './data-sender.ts';
import { DeployClear } from './deploy-clear.ts';
import type { LineSink } from './line-sink.ts';
import { PartialCompletions } from './partial-completions.ts';

export interface SyncStreamDeps {
  bus: CheckpointBus;
  states: BucketStates;
  reader: OpReader;
  writeCheckpoints: WriteCheckpoints;
  /** Parameter lookups as of a checkpoint's op id. */
  readLookups: (opId: number) => LookupReader;
  /** The hydrated rules of the deploy being served; null until replication has prepared them. */
  rules: () => HydratedSyncConfig | null;
  /** Names the deploy being served (its replication slot); null until replication has prepared it. */
  deployName: () => string | null;
  keepaliveMs: number;
  logger: Logger;
}

export interface StreamIdentity {
  userId: string;
  claims: Record<string, unknown>;
  /** Token expiry (ms since epoch): the stream ends then and the client fetches a new token. */
  expiresAt: number;
}

function changed(a: BucketChecksum | undefined, b: BucketChecksum): boolean {
  return !a || a.checksum !== b.checksum || a.count !== b.count || a.priority !== b.priority;
}

/**
 * One `POST /sync/stream` connection (docs/powersync-protocol.md §2, §9): a `checkpoint`, then for
 * every later checkpoint that changes something for this client a `checkpoint_diff` (always with
 * the write checkpoint), the data the client lacks, and `checkpoint_complete`. Intermediate
 * checkpoints are skipped when the client is slower than replication. Runs until the client
 * disconnects, the token expires, or the service closes (`signal`).
 */
export async function runSyncStream(
  deps: SyncStreamDeps,
  identity: StreamIdentity,
  request: SyncRequest,
  sink: LineSink,
  signal: AbortSignal,
): Promise<void> {
  const wcKey = WriteCheckpoints.key(identity.userId, request.clientId);
  await deps.writeCheckpoints.load(wcKey);
  const after = new Map(request.buckets);
  const held = new Map(request.buckets);
  const completions = new PartialCompletions(() => deps.writeCheckpoints.newest(wcKey));
  let resolver: BucketResolver | null = null;
  let resolved: ResolvedBuckets | null = null;
  let resolvedSeq = 0;
  let deploy = new DeployClear('');
  let sent: Map<string, BucketChecksum> | null = null;
  let lastWriteCheckpoint: bigint | null = null;
  let lastSeq = 0;

  const stop = new AbortController();
  const stopAll = () => stop.abort();
  signal.addEventListener('abort', stopAll, { once: true });
  const secondsLeft = () => Math.floor((identity.expiresAt - Date.now()) / 1000);
  const keepalive = setInterval(() => void sink.write(tokenExpiresInLine(secondsLeft())), deps.keepaliveMs);
  const expiry = setTimeout(
    () => void sink.write(tokenExpiresInLine(0)).finally(stopAll),
    Math.max(0, identity.expiresAt - Date.now()),
  );
  try {
    // Right away too: a client holding a nearly expired token prefetches a new one.
    await sink.write(tokenExpiresInLine(secondsLeft()));
    while (!stop.signal.aborted) {
      const latest: Checkpoint | null = deps.bus.latest;
      const rules = deps.rules();
      const deployName = deps.deployName();
      if (!latest || !rules || deployName === null || latest.seq === lastSeq) {
        await deps.bus.next(stop.signal);
        continue;
      }
      if (deploy.deploy !== deployName) deploy = new DeployClear(deployName);
      const served = deploy;
      resolver ??= new BucketResolver(rules, identity.claims, request, deps.logger);
      if (!resolved || deps.bus.lookupsChangedSince(resolvedSeq, resolved.lookups)) {
        resolved = await resolver.resolve(deps.readLookups(latest.opId));
        resolvedSeq = latest.seq;
      }
      // From here to the list below nothing awaits: checksums and checkpoint belong together.
      const checkpoint = deps.bus.latest ?? latest;
      const buckets: BucketChecksum[] = resolved.buckets.map((b) => {
        const { checksum, count } = served.checkpointState(b.bucket, deps.states.get(b.bucket));
        return {
          bucket: b.bucket,
          checksum,
          count,
          priority: b.priority,
          subscriptions: b.subscriptions,
        };
      });
      const writeCheckpoint = deps.writeCheckpoints.visibleAt(wcKey, checkpoint.lsn);
      lastSeq = checkpoint.seq;

      let toFetch: Set<string>;
      if (sent === null) {
        toFetch = new Set(buckets.map((b) => b.bucket));
        completions.started(buckets, held, (bucket) => deps.states.get(bucket).lastRemovalOpId);
        await sink.write(checkpointLine(checkpoint.opId, writeCheckpoint, buckets, resolver.streams));
      } else {
        const previous = sent;
        const updated = buckets.filter((b) => changed(previous.get(b.bucket), b));
        const names = new Set(buckets.map((b) => b.bucket));
        const removed = [...previous.keys()].filter((name) => !names.has(name));
        if (updated.length === 0 && removed.length === 0 && writeCheckpoint === lastWriteCheckpoint) continue;
        toFetch = new Set(updated.map((b) => b.bucket));
        for (const name of removed) after.delete(name);
        completions.changed(
          updated.filter((b) => !previous.has(b.bucket)).map((b) => b.bucket),
          removed,
        );
        await sink.write(checkpointDiffLine(checkpoint.opId, writeCheckpoint, updated, removed));
      }
      sent = new Map(buckets.map((b) => [b.bucket, b]));
      lastWriteCheckpoint = writeCheckpoint;

      await sendCheckpointData({
        buckets,
        after,
        state: (bucket) => deps.states.get(bucket),
        upTo: checkpoint.opId,
        rawData: request.rawData,
        reader: deps.reader,
        sink,
        signal: stop.signal,
        deploy: served,
        completions,
        toFetch,
      });
      if (stop.signal.aborted) break;
      await sink.write(checkpointCompleteLine(checkpoint.opId));
      completions.completed(writeCheckpoint);
      for (const b of buckets) after.set(b.bucket, checkpoint.opId);
    }
  } finally {
    clearInterval(keepalive);
    clearTimeout(expiry);
    signal.removeEventListener('abort', stopAll);
  }
}
