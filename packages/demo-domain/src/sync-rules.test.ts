import { readFileSync } from 'node:fs';
import { infraPaths } from '@cr/infra';
import {
  BaseJwtPayload,
  DEFAULT_HYDRATION_STATE,
  RequestParameters,
  SqlSyncRules,
} from '@powersync/service-sync-rules';
import { describe, expect, it } from 'vitest';
import { schema } from './tables.ts';

const yaml = readFileSync(infraPaths.syncRules, 'utf8');

function parse() {
  const { config, errors } = SqlSyncRules.fromYaml(yaml, { defaultSchema: 'public', throwOnError: false });
  return { config, errors };
}

function bucketsFor(claims: Record<string, unknown>) {
  const hydrated = parse().config.hydrate({ hydrationState: DEFAULT_HYDRATION_STATE, sqlite: null });
  const { querier, errors } = hydrated.getBucketParameterQuerier({
    globalParameters: new RequestParameters(new BaseJwtPayload({ aud: 'x', iat: 0, exp: 1, ...claims }), {}),
    hasDefaultStreams: true,
    streams: {},
  });
  expect(errors).toEqual([]);
  expect(querier.hasDynamicBuckets).toBe(false);
  return querier.staticBuckets.map((b) => b.bucket).sort();
}

describe('infra/powersync/sync-rules.yaml', () => {
  it('parses without errors', () => {
    expect(parse().errors.map((e) => e.message)).toEqual([]);
  });

  it('names only tables the demo schema defines as synced', () => {
    const hydrated = parse().config.hydrate({ hydrationState: DEFAULT_HYDRATION_STATE, sqlite: null });
    const named = hydrated.getSourceTables().map((t) => t.tablePattern);
    expect(named.length).toBeGreaterThan(0);
    for (const name of named) {
      expect(schema.has(name), `${name} is a schema table`).toBe(true);
      if (schema.has(name)) expect(schema.table(name).synced).toBe(true);
    }
    const syncedTables = Object.values(schema.tables)
      .filter((t) => t.synced)
      .map((t) => t.name);
    expect([...new Set(named)].sort()).toEqual(syncedTables.sort());
  });

  it('selects only columns that exist', () => {
    const hydrated = parse().config.hydrate({ hydrationState: DEFAULT_HYDRATION_STATE, sqlite: null });
    for (const definition of Object.values(schema.tables)) {
      const record: Record<string, string | bigint | null> = { id: 'row-1' };
      for (const column of Object.keys(definition.columns)) record[column] = 'x';
      if ('user_id' in record) record.user_id = 'alice';
      if (definition.name === 'write_conflicts') record.status = 'open';
      const { results, errors } = hydrated.evaluateRowWithErrors({
        sourceTable: { connectionTag: 'default', schema: 'public', name: definition.name } as never,
        record,
      });
      expect(errors).toEqual([]);
      expect(results.length, `${definition.name} rows reach some bucket`).toBeGreaterThan(0);
      for (const result of results) {
        for (const column of Object.keys(result.data)) {
          expect(column === 'id' || column in definition.columns, `${definition.name}.${column}`).toBe(true);
        }
      }
    }
  });

  it('gives clinical roles the patients bucket and nobody else', () => {
    expect(bucketsFor({ sub: 'dan', role: 'doctor' })).toContain('clinical[]');
    expect(bucketsFor({ sub: 'nina', role: 'nurse' })).toContain('clinical[]');
    expect(bucketsFor({ sub: 'alice', role: 'clerk' })).not.toContain('clinical[]');
    expect(bucketsFor({ sub: 'rita', role: 'reviewer' })).not.toContain('clinical[]');
  });

  it('gives every user their own data bucket and reviewers the review queue', () => {
    expect(bucketsFor({ sub: 'alice', role: 'clerk' })).toEqual(['document_history[]', 'team[]', 'user_data["alice"]']);
    expect(bucketsFor({ sub: 'rita', role: 'reviewer' })).toEqual([
      'document_history[]',
      'review_queue[]',
      'team[]',
      'user_data["rita"]',
    ]);
  });
});
