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

export interface ResolvedBuckets {
  buckets: ResolvedBucket[];
  /** Serialized lookups the dynamic buckets depend on: a change to any of them means resolve again. */
  lookups: Set<string>;
}

/**
 * Which buckets one connection may download: the static ones from its token and parameters, plus
 * the dynamic ones that parameter queries find in tables (re-resolved when their lookups change).
 */
export class BucketResolver {
  private readonly querier: BucketParameterQuerier;

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
    const byName = new Map<string, ResolvedBucket>();
    for (const bucket of [...this.querier.staticBuckets, ...dynamic]) {
      const existing = byName.get(bucket.bucket);
      // The same bucket from two definitions keeps the higher priority (the lower number).
      if (!existing || bucket.priority < existing.priority) byName.set(bucket.bucket, bucket);
    }
    return { buckets: [...byName.values()], lookups };
  }
}
