import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  CompatibilityOption,
  DEFAULT_HYDRATION_STATE,
  type HydratedSyncConfig,
  type SourceTableRef,
  SqlSyncRules,
  versionedHydrationState,
} from '@powersync/service-sync-rules';

/** Parsed sync rules (infra/powersync/sync-rules.yaml or a test's own), not yet tied to a deploy. */
export interface SyncRules {
  yaml: string;
  /** Identifies the content: a change means a new deploy (new slot, re-snapshot). */
  hash: string;
  /** Whether bucket ids carry the deploy version (`"1#team[]"`), as edition 2+ asks. */
  versionedBucketIds: boolean;
  /** Sync rules bound to a deploy version: bucket names, row evaluation, bucket queriers. */
  hydrate(version: number): HydratedSyncConfig;
}

export class SyncRulesError extends Error {}

export function parseSyncRules(yaml: string, source = 'sync rules'): SyncRules {
  const { config, errors } = SqlSyncRules.fromYaml(yaml, { defaultSchema: 'public', throwOnError: false });
  const fatal = errors.filter((error) => error.type !== 'warning');
  if (fatal.length > 0) {
    throw new SyncRulesError(`${source} are invalid: ${fatal.map((error) => error.message).join('; ')}`);
  }
  const versionedBucketIds = config.compatibility.isEnabled(CompatibilityOption.versionedBucketIds);
  return {
    yaml,
    hash: createHash('sha256').update(yaml).digest('hex'),
    versionedBucketIds,
    hydrate: (version) =>
      config.hydrate({
        hydrationState: versionedBucketIds ? versionedHydrationState(version) : DEFAULT_HYDRATION_STATE,
        sqlite: null,
      }),
  };
}

export async function readSyncRules(path: string): Promise<SyncRules> {
  return parseSyncRules(await readFile(path, 'utf8'), path);
}

export function tableRef(schema: string, name: string): SourceTableRef {
  return { connectionTag: 'default', schema, name };
}
