import {
  BaseJwtPayload,
  type BucketParameterQuerier,
  type HydratedSyncConfig,
  type ParameterLookupRows,
  type RequestedStream,
  RequestParameters,
  type ResolvedBucket,
  type ScopedParameterLookup,
} from '@powersync/service-sync-rules';
import type { Logger } from '../log.ts';
import type { SyncRequest } from '../protocol/request.ts';

/** Reads parameter lookups (rows of parameter queries) as of the checkpoint being resolved. */
export type LookupReader = (lookups: ScopedParameterLookup[]) => Promise<ParameterLookupRows[]>;

/** Why a connection has a bucket: a default stream (index into `streams`) or a subscription (index into the request's). */
export type SubscriptionReason = { default: number } | { sub: number };

/** One entry of a checkpoint's `streams`: a stream (or bucket definition) the connection is subscribed to. */
export interface StreamDescription {
  name: string;
  is_default: boolean;
  errors: { subscription: 'default' | number; message: string }[];
}

/** A bucket of the connection: the merge of every definition that gives it. */
export interface ConnectionBucket {
  bucket: string;
  priority: number;
  subscriptions: SubscriptionReason[];
}

export interface ResolvedBuckets {
  buckets: ConnectionBucket[];
  /** Serialized lookups the dynamic buckets depend on: a change to any of them means resolve again. */
  lookups: Set<string>;
}

/**
 * Which buckets one connection may download: the static ones from its token and parameters, plus
 * the dynamic ones that parameter queries find in tables (re-resolved when their lookups change).
 */
export class BucketResolver {
  private readonly querier: BucketParameterQuerier;
  /**
   * What the official service sends as `checkpoint.streams`: every definition (bucket definitions
   * included: they are default streams) the connection subscribes to, in the order of the rules.
   */
  readonly streams: StreamDescription[];
  private readonly streamIndex = new Map<string, number>();

  constructor(rules: HydratedSyncConfig, claims: Record<string, unknown>, request: SyncRequest, logger: Logger) {
    const streams: Record<string, RequestedStream[]> = {};
    request.subscriptions.forEach((subscription, index) => {
      const list = streams[subscription.stream] ?? [];
      list.push({
        opaque_id: index,
        parameters: (subscription.parameters as RequestedStream['parameters']) ?? null,
        priorityOverride: (subscription.overridePriority as RequestedStream['priorityOverride']) ?? null,
      });
      streams[subscription.stream] = list;
    });
    const { querier, errors } = rules.getBucketParameterQuerier({
      globalParameters: new RequestParameters(new BaseJwtPayload(claims), request.parameters),
      hasDefaultStreams: request.includeDefaultStreams,
      streams,
    });
    for (const error of errors) logger.warn(`bucket query ${error.descriptor} failed: ${error.message}`);
    this.querier = querier;
    const requested = new Set(request.subscriptions.map((s) => s.stream));
    this.streams = rules.bucketSourceDefinitions
      .filter((source) => (source.subscribedToByDefault && request.includeDefaultStreams) || requested.has(source.name))
      .map((source) => ({
        name: source.name,
        is_default: source.subscribedToByDefault,
        errors: errors
          .filter((error) => error.descriptor === source.name)
          .map((error) => ({
            subscription: error.subscription ? Number(error.subscription.opaque_id) : 'default',
            message: error.message,
          })),
      }));
    for (const [index, stream] of this.streams.entries()) this.streamIndex.set(stream.name, index);
  }

  get hasDynamicBuckets(): boolean {
    return this.querier.hasDynamicBuckets;
  }

  async resolve(readLookups: LookupReader): Promise<ResolvedBuckets> {
    const lookups = new Set<string>();
    const dynamic = this.querier.hasDynamicBuckets
      ? await this.querier.queryDynamicBucketDescriptions({
          getParameterSets: async (requested) => {
            for (const lookup of requested) lookups.add(lookup.serializedRepresentation);
            return readLookups(requested);
          },
        })
      : [];
    const byName = new Map<string, ConnectionBucket>();
    for (const bucket of [...this.querier.staticBuckets, ...dynamic]) {
      const reasons = this.reasons(bucket);
      const existing = byName.get(bucket.bucket);
      if (!existing) {
        byName.set(bucket.bucket, { bucket: bucket.bucket, priority: bucket.priority, subscriptions: reasons });
        continue;
      }
      // The same bucket from two definitions: every reason, and the higher priority (the lower number).
      existing.subscriptions.push(...reasons);
      if (bucket.priority < existing.priority) existing.priority = bucket.priority;
    }
    return { buckets: [...byName.values()], lookups };
  }

  private reasons(bucket: ResolvedBucket): SubscriptionReason[] {
    return bucket.inclusion_reasons.map((reason) =>
      reason === 'default' ? { default: this.streamIndex.get(bucket.definition) ?? 0 } : { sub: reason.subscription },
    );
  }
}
