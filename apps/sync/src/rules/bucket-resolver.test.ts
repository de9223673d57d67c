import { readFileSync } from 'node:fs';
import { infraPaths } from '@cr/infra';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../log.ts';
import { parseSyncRequest } from '../protocol/request.ts';
import { BucketResolver } from './bucket-resolver.ts';
import { parseSyncRules } from './sync-rules.ts';

const infraRules = parseSyncRules(readFileSync(infraPaths.syncRules, 'utf8'));

async function bucketsFor(claims: Record<string, unknown>, version = 1) {
  const resolver = new BucketResolver(infraRules.hydrate(version), claims, parseSyncRequest({}), silentLogger);
  const { buckets } = await resolver.resolve(async () => []);
  return Object.fromEntries(buckets.map((b) => [b.bucket, b.priority]));
}

describe('bucket resolution with infra/powersync/sync-rules.yaml', () => {
  it('versions bucket ids, since the rules use edition 2', () => {
    expect(infraRules.versionedBucketIds).toBe(true);
  });

  it('gives each role its buckets and priorities', async () => {
    expect(await bucketsFor({ sub: 'alice', role: 'clerk' })).toEqual({
      '1#team[]': 1,
      '1#document_history[]': 2,
      '1#user_data["alice"]': 3,
    });
    expect(await bucketsFor({ sub: 'dan', role: 'doctor' })).toEqual({
      '1#team[]': 1,
      '1#document_history[]': 2,
      '1#clinical[]': 1,
      '1#user_data["dan"]': 3,
    });
    expect(await bucketsFor({ sub: 'rita', role: 'reviewer' }, 2)).toEqual({
      '2#team[]': 1,
      '2#document_history[]': 2,
      '2#review_queue[]': 3,
      '2#user_data["rita"]': 3,
    });
  });
});

describe('dynamic buckets (parameter queries over tables)', () => {
  const rules = parseSyncRules(`
bucket_definitions:
  by_role:
    parameters: SELECT role FROM users WHERE id = request.user_id()
    data:
      - SELECT * FROM users WHERE role = bucket.role
`);

  it('reads lookups through the given reader and reports which ones it used', async () => {
    const resolver = new BucketResolver(rules.hydrate(1), { sub: 'alice' }, parseSyncRequest({}), silentLogger);
    expect(resolver.hasDynamicBuckets).toBe(true);
    const { buckets, lookups } = await resolver.resolve(async (requested) =>
      requested.map((lookup) => ({ lookup, rows: [{ role: 'clerk' }] })),
    );
    expect(buckets.map((b) => b.bucket)).toEqual(['by_role["clerk"]']);
    expect(lookups.size).toBe(1);
  });
});

describe('streams and subscription reasons, as the official service puts them in checkpoints', () => {
  it('lists every bucket definition as a default stream, also those that give this user no bucket', async () => {
    const resolver = new BucketResolver(
      infraRules.hydrate(1),
      { sub: 'alice', role: 'clerk' },
      parseSyncRequest({}),
      silentLogger,
    );
    expect(resolver.streams).toEqual([
      { name: 'team', is_default: true, errors: [] },
      { name: 'document_history', is_default: true, errors: [] },
      { name: 'clinical', is_default: true, errors: [] },
      { name: 'user_data', is_default: true, errors: [] },
      { name: 'review_queue', is_default: true, errors: [] },
    ]);
    const { buckets } = await resolver.resolve(async () => []);
    expect(buckets).toEqual([
      { bucket: '1#team[]', priority: 1, subscriptions: [{ default: 0 }] },
      { bucket: '1#document_history[]', priority: 2, subscriptions: [{ default: 1 }] },
      { bucket: '1#user_data["alice"]', priority: 3, subscriptions: [{ default: 3 }] },
    ]);
  });

  it('lists no default stream when the client asks for none', () => {
    const request = parseSyncRequest({ streams: { include_defaults: false, subscriptions: [] } });
    const resolver = new BucketResolver(infraRules.hydrate(1), { sub: 'alice', role: 'clerk' }, request, silentLogger);
    expect(resolver.streams).toEqual([]);
  });

  it('keeps every reason of a bucket two definitions give, with the higher priority', async () => {
    const rules = parseSyncRules(`
bucket_definitions:
  everyone:
    priority: 2
    parameters: SELECT 'x' AS k
    data:
      - SELECT * FROM users WHERE 'x' = bucket.k
  everyone_again:
    priority: 1
    parameters: SELECT 'x' AS k
    data:
      - SELECT * FROM users WHERE 'x' = bucket.k
`);
    const resolver = new BucketResolver(rules.hydrate(1), { sub: 'alice' }, parseSyncRequest({}), silentLogger);
    const { buckets } = await resolver.resolve(async () => []);
    expect(buckets.map((b) => b.subscriptions)).toEqual(
      buckets.length === 1 ? [[{ default: 0 }, { default: 1 }]] : [[{ default: 0 }], [{ default: 1 }]],
    );
  });
});
