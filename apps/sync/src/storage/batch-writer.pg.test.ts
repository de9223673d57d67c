import { seedIfEmpty } from '@cr/db';
import { createTestDatabase } from '@cr/db/testing';
import { infraPaths } from '@cr/infra';
import pg from 'pg';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { storageProblems } from '../../test/storage-invariants.ts';
import { silentLogger } from '../log.ts';
import type { Tuple } from '../pg/pgoutput.ts';
import { listPublishedTables, type SourceTable, sourceKey } from '../pg/source-tables.ts';
import { readSyncRules } from '../rules/sync-rules.ts';
import { BatchWriter, type RowChange } from './batch-writer.ts';
import { BucketStates } from './bucket-states.ts';
import { Mutex } from './mutex.ts';
import { RecentOps } from './recent-ops.ts';
import { writeReplicationState } from './replication-state.ts';
import { RowEvaluator } from './row-evaluator.ts';
import { createStorageSchema, STORAGE_VERSION, storageTables } from './storage-schema.ts';

/**
 * The writer's stop is ordered: a rollback that arrives while a write is still running waits for
 * it, and nothing of that write reaches storage (it used to be released mid-write, and the rest
 * of the write ran outside any transaction: ops beyond the state row, then "ops_pkey" forever).
 */
const t = storageTables('powersync_storage');
let pool: pg.Pool;
let documents: SourceTable;
let evaluator: RowEvaluator;

beforeAll(async () => {
  const url = await createTestDatabase(inject('pgCluster'));
  await seedIfEmpty(url, infraPaths.seed);
  pool = new pg.Pool({ connectionString: url, max: 4 });
  await createStorageSchema(pool, t);
  await writeReplicationState(pool, t, {
    storageVersion: STORAGE_VERSION,
    rulesHash: 'test',
    rulesVersion: 1,
    slotName: 'none',
    snapshotDone: true,
    snapshotLsn: null,
    consistent: true,
    lastOpId: 0,
    lastLsn: null,
  });
  const hydrated = (await readSyncRules(infraPaths.syncRules)).hydrate(1);
  evaluator = new RowEvaluator(hydrated, silentLogger, 'none');
  const found = (await listPublishedTables(pool, 'powersync', hydrated)).find(
    (table) => table.ref.name === 'documents',
  );
  if (!found) throw new Error('documents is not published');
  documents = found;
});
afterAll(async () => {
  await pool?.end();
});

/** A writer that starts where storage stands, as replication's does after a (re)start. */
async function writer(): Promise<BatchWriter> {
  const states = new BucketStates();
  await states.load(pool, t);
  const { rows } = await pool.query<{ last_op_id: string }>(`SELECT last_op_id FROM ${t.state}`);
  const deps = { pool, tables: t, states, recent: new RecentOps(0), lock: new Mutex(), evaluator };
  return new BatchWriter(deps, Number(rows[0]?.last_op_id));
}

/** `count` new documents, as replicated inserts. */
function inserts(count: number, from: number): RowChange[] {
  return Array.from({ length: count }, (_, i) => {
    const id = `00000000-0000-4000-8000-${String(from + i).padStart(12, '0')}`;
    const values: Record<string, string | null> = {
      id,
      title: `doc ${from + i}`,
      body: 'x'.repeat(100),
      version: '1',
      created_by: 'alice',
      created_at: '2026-11-01 08:00:00+00',
      updated_by: 'alice',
      updated_at: '2026-11-01 08:00:00+00',
    };
    const tuple = documents.columns.map((column) => values[column.name] ?? null) as Tuple;
    return { kind: 'put', table: documents, key: sourceKey(documents, tuple), tuple };
  });
}

const count = async (table: string) => Number((await pool.query(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n);

it('rolls back a write that is still running, and stores nothing of it', async () => {
  const w = await writer();
  await w.write(inserts(10, 1));
  await w.commit(null);
  expect(await count(t.ops)).toBe(10);

  // Many statements' worth: the rollback arrives while they run.
  const running = w.write(inserts(2000, 100)).then(
    () => 'finished',
    (error: Error) => error.message,
  );
  await new Promise((resolve) => setImmediate(resolve));
  await w.rollback();
  expect(['finished', 'The storage transaction is closed: the statement was not run.']).toContain(await running);

  expect(await count(t.ops)).toBe(10);
  expect(await count(t.currentData)).toBe(10);
  expect(await storageProblems(pool)).toEqual([]);
  // This database only: another test file's service, on the same cluster, may be between two
  // statements of a grouped storage transaction right now.
  const { rows } = await pool.query(
    'SELECT count(*)::int AS n FROM pg_stat_activity WHERE state LIKE $1 AND datname = current_database()',
    ['idle in transaction%'],
  );
  expect(rows[0]?.n).toBe(0);
});

it('writes again after a rollback, with op ids that follow the last commit', async () => {
  const w = await writer();
  await w.write(inserts(5, 5000));
  await w.rollback();
  const before = Number((await pool.query(`SELECT last_op_id FROM ${t.state}`)).rows[0]?.last_op_id);
  const again = await writer();
  await again.write(inserts(3, 6000));
  expect((await again.commit(null)).opId).toBe(before + 3);
  expect(await storageProblems(pool)).toEqual([]);
});
