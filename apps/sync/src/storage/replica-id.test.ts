import { infraPaths } from '@cr/infra';
import { beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../log.ts';
import { PgOid } from '../pg/pg-types.ts';
import type { SourceTable } from '../pg/source-tables.ts';
import { addChecksums, putChecksum, removeChecksum } from '../protocol/checksum.ts';
import { readSyncRules, tableRef } from '../rules/sync-rules.ts';
import { putOp, removeOp } from './bucket-ops.ts';
import { type CompactableOp, planCompaction } from './compaction-plan.ts';
import { replicaId, SubkeyMaker, uuidV5 } from './replica-id.ts';
import { RowEvaluator } from './row-evaluator.ts';

/**
 * Known values of the official service's algorithm (v1.25.0). Section A: values from its own test
 * suite (service-core-tests register-data-storage-data-tests.ts, module-postgres-storage snapshots).
 * Section B: a fixed PUT/PUT/REMOVE → MOVE/CLEAR sequence for a Postgres table with a uuid key,
 * computed with the official libraries (js-bson 6.10 `serialize`, `uuid.v5`, the service's
 * `hashDelete`/`hashData`/`addChecksums`) outside this project; see apps/sync/README.md.
 */
const OFFICIAL_TEST_TABLE = '6544e3899293153fa7b38331';
const TABLE_UUID = '3f1e9a52-7c4b-4d2e-9b8a-1c2d3e4f5a6b';
const ROW = '11111111-2222-4333-8444-555555555555';
const signed = (x: number) => x | 0;

function table(columns: [string, number][], keys: number[]): SourceTable {
  return {
    id: 'public.t',
    ref: tableRef('public', 't'),
    columns: columns.map(([name, typeOid]) => ({ name, typeOid })),
    keyIndexes: keys,
    syncsData: true,
    syncsParameters: false,
  };
}

describe("official vectors (A): the service's own test suite", () => {
  it('replica id of a text key, its REMOVE checksum, and the bucket checksum with the PUT', () => {
    const rid = replicaId([['id', 'test1']]);
    expect(rid).toBe('b40bd986-036a-51c7-ad7d-789ecb75e38c');
    const remove = removeChecksum(`${OFFICIAL_TEST_TABLE}/${rid}`);
    expect(remove).toBe(2872534815);
    const put = putChecksum('test', 'test1', '{"id":"test1","description":"test1"}');
    expect(put).toBe(2871785649);
    expect(signed(addChecksums(put, remove))).toBe(1449353168);
  });

  it('uuidv5 of a BSON document with a table and an id (the non-uuid subkey branch)', async () => {
    const { serialize } = await import('bson');
    expect(uuidV5(serialize({ table: OFFICIAL_TEST_TABLE, id: 't1' }))).toBe('02d285ac-4f96-5124-8fba-c6d1df992dd1');
  });
});

describe('official vectors (B): PUT, PUT, REMOVE, then MOVE and CLEAR, for public.todos (id uuid)', () => {
  let maker: SubkeyMaker;
  beforeAll(async () => {
    maker = new SubkeyMaker((await readSyncRules(infraPaths.syncRules)).hydrate(1), 'test-deploy');
  });

  it('subkeys from the key columns as sync rules decode them (uuid, int8, composite text + int4)', () => {
    const uuidKeyed = table(
      [
        ['id', PgOid.uuid],
        ['title', PgOid.text],
      ],
      [0],
    );
    const rid = maker.subkey(uuidKeyed, JSON.stringify([ROW])).split('/')[1];
    expect(rid).toBe('3cc2c4b2-6d90-55dd-b047-14534f28718b');
    const bigintKeyed = table([['id', PgOid.int8]], [0]);
    expect(maker.subkey(bigintKeyed, '["42"]').split('/')[1]).toBe('dbf9a96b-db10-59f7-84b5-6e6881d94dfb');
    const composite = table(
      [
        ['note', PgOid.text],
        ['org_id', PgOid.text],
        ['user_id', PgOid.int4],
      ],
      [1, 2],
    );
    expect(maker.subkey(composite, '["o1","7"]').split('/')[1]).toBe('72507da5-6e11-5e8f-a2f9-b22515d0e9ed');
    expect(removeChecksum(`${TABLE_UUID}/dbf9a96b-db10-59f7-84b5-6e6881d94dfb`)).toBe(562742981);
    expect(removeChecksum(`${TABLE_UUID}/72507da5-6e11-5e8f-a2f9-b22515d0e9ed`)).toBe(1962633609);
  });

  it('gives a PUT (from the whole row) and a REMOVE (from the key alone) the same subkey', async () => {
    const evaluator = new RowEvaluator((await readSyncRules(infraPaths.syncRules)).hydrate(1), silentLogger, 'deploy');
    const t = table(
      [
        ['title', PgOid.text],
        ['org', PgOid.text],
        ['n', PgOid.int8],
        ['at', PgOid.timestamptz],
      ],
      [1, 2, 3],
    );
    const row = { title: 'x', org: 'o1', n: '9007199254740993', at: '2026-11-01 09:00:00.123456+00' };
    const { subkey } = evaluator.evaluate(t, row);
    expect(subkey).toBe(evaluator.subkey(t, JSON.stringify([row.org, row.n, row.at])));
    expect(subkey).not.toBe(evaluator.subkey(t, JSON.stringify([row.org, '9007199254740992', row.at])));
  });

  it('the table uuid is a uuid, stable within a deploy, new with the next one', async () => {
    const t = table([['id', PgOid.uuid]], [0]);
    const subkey = maker.subkey(t, JSON.stringify([ROW]));
    expect(subkey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\/3cc2c4b2-/);
    expect(maker.subkey(t, JSON.stringify([ROW]))).toBe(subkey);
    const next = new SubkeyMaker((await readSyncRules(infraPaths.syncRules)).hydrate(2), 'next-deploy');
    expect(next.tableUuid(t)).not.toBe(maker.tableUuid(t));
  });

  it('op and bucket checksums through the sequence and its compaction', () => {
    const subkey = `${TABLE_UUID}/${replicaId([['id', ROW]])}`;
    expect(subkey).toBe(`${TABLE_UUID}/3cc2c4b2-6d90-55dd-b047-14534f28718b`);
    const row = (title: string) => ({
      bucket: 'b',
      table: 'todos',
      id: ROW,
      data: `{"id":"${ROW}","title":"${title}"}`,
    });
    const written = [putOp(row('a'), subkey), putOp(row('b'), subkey), removeOp(['b', 'todos', ROW], subkey)];
    expect(written.map((op) => op.checksum)).toEqual([1013988863, 2722810394, 234002026]);
    expect(written.map((op) => op.subkey)).toEqual([subkey, subkey, subkey]);
    let bucket = 0;
    const totals = written.map((op) => {
      bucket = addChecksums(bucket, op.checksum);
      return signed(bucket);
    });
    expect(totals).toEqual([1013988863, -558168039, -324166013]);

    const ops: CompactableOp[] = written.map((op, index) => ({
      opId: index + 1,
      op: op.op,
      rowKey: `${op.objectType}/${op.objectId}/${op.subkey}`,
      checksum: op.checksum,
    }));
    const plan = planCompaction(ops);
    expect(plan.moves).toEqual([]);
    expect(plan.clear).toEqual({ opId: 3, checksum: addChecksums(0, 3970801283), replaced: 3 });
    expect(signed(plan.clear?.checksum ?? 0)).toBe(-324166013);
    // Behind a live row the superseded PUTs become MOVEs with their checksums; the REMOVE stays.
    const behindLive = [{ opId: 0, op: 'PUT' as const, rowKey: 'todos/x/y', checksum: 1 }, ...ops];
    expect(planCompaction(behindLive)).toEqual({ clear: null, moves: [1, 2] });
  });
});
