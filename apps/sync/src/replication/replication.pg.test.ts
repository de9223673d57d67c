import { createTestDatabase } from '@cr/db/testing';
import { column, Schema, Table } from '@powersync/common';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type SyncHarness, startSync } from '../../test/sync-harness.ts';
import { openClient, type TestClient } from '../../test/test-client.ts';
import { waitFor } from '../../test/wait-for.ts';
import { buildApp } from '../app.ts';
import { silentLogger } from '../log.ts';
import { parseSyncRules } from '../rules/sync-rules.ts';

/** Replication details on a table of the test's own: value types, TOAST, key changes, TRUNCATE. */
const RULES = `
config:
  edition: 2
bucket_definitions:
  gadgets:
    data:
      - SELECT * FROM gadgets
      - SELECT * FROM unpublished
`;

const schema = new Schema({
  gadgets: new Table({
    name: column.text,
    big: column.text,
    qty: column.integer,
    price: column.text,
    ok: column.integer,
    tags: column.text,
    meta: column.text,
    at: column.text,
    seen: column.text,
    score: column.real,
    nums: column.text,
  }),
});

let sync: SyncHarness;
let client: TestClient;

beforeAll(async () => {
  const databaseUrl = await createTestDatabase(inject('pgCluster'));
  const { default: pg } = await import('pg');
  const setup = new pg.Client({ connectionString: databaseUrl });
  await setup.connect();
  await setup.query(`
    CREATE TABLE gadgets (id text PRIMARY KEY, name text, big text, qty int8, price numeric, ok boolean,
                          tags text[], meta jsonb, at timestamptz, seen date, score float8, blob bytea);
    ALTER TABLE gadgets ALTER COLUMN big SET STORAGE EXTERNAL; -- out of line, uncompressed: TOASTed
    -- An int8 array is 8 bytes per element on disk, 2 in text: big on disk, small as text.
    ALTER TABLE gadgets ADD COLUMN nums int8[];
    ALTER TABLE gadgets ALTER COLUMN nums SET STORAGE EXTERNAL;
    ALTER PUBLICATION powersync ADD TABLE gadgets;
    CREATE TABLE unpublished (id text PRIMARY KEY, secret text);
    INSERT INTO gadgets (id, name, qty) VALUES ('g0', 'from the snapshot', 1);
  `);
  await setup.end();
  sync = await startSync({ databaseUrl, syncRules: RULES });
  await sync.ready();
  client = await openClient({ endpoint: sync.url, token: () => sync.jwks.sign({ sub: 'alice' }), schema });
  await client.db.waitForFirstSync();
});
afterAll(async () => {
  await client?.close();
  await sync?.close();
});

const gadget = async (id: string) =>
  (await client.rows<Record<string, unknown>>('SELECT * FROM gadgets WHERE id = ?', [id]))[0];

describe('replication', () => {
  it('warns about sync rules tables that are not published', () => {
    expect(sync.logs.some((line) => line.includes('public.unpublished, which is not published'))).toBe(true);
    expect(sync.logs.some((line) => line.includes('snapshot public.gadgets: 1 rows'))).toBe(true);
  });

  it('syncs Postgres types the way the official service renders them', async () => {
    await sync.sql.query(`
      INSERT INTO gadgets (id, name, qty, price, ok, tags, meta, at, seen, score, blob)
      VALUES ('g1', 'Widget', 9007199254740993, 12345678901234567890.5, true, '{a,"b c",NULL}',
              '{"k": [1, 2]}', '2026-11-01 10:30:00.123456+01', '2026-12-24', 2.5, '\\x0102')`);
    await waitFor(() => gadget('g1'), { message: 'the row' });
    // 64-bit integers travel exactly (JavaScript numbers on the client side cannot hold this one).
    const wire = client.linesOf('data').map((line) => JSON.stringify(line));
    expect(wire.some((line) => line.includes('\\"qty\\":9007199254740993'))).toBe(true);
    expect(await gadget('g1')).toEqual({
      id: 'g1',
      name: 'Widget',
      big: null,
      qty: expect.any(Number),
      price: '12345678901234567890.5',
      ok: 1,
      tags: '["a","b c",null]',
      meta: '{"k": [1, 2]}',
      at: '2026-11-01T09:30:00.123456Z',
      seen: '2026-12-24',
      score: 2.5,
      nums: null,
    });
  });

  it('keeps unchanged TOASTed values when another column is updated', async () => {
    const big = Array.from({ length: 4000 }, (_, i) => `${i}:${(i * 7919) % 10007}`).join(',');
    await sync.sql.query('UPDATE gadgets SET big = $1 WHERE id = $2', [big, 'g1']);
    await waitFor(async () => (await gadget('g1'))?.big === big, { message: 'the big value' });
    await sync.sql.query(`UPDATE gadgets SET name = 'Renamed' WHERE id = 'g1'`);
    await waitFor(async () => (await gadget('g1'))?.name === 'Renamed', { message: 'the rename' });
    expect((await gadget('g1'))?.big).toBe(big);
  });

  it('reads an unchanged TOASTed value from the source when the row was too small to keep', async () => {
    // 300 elements: about 600 characters as text (not kept), 2.4 kB on disk (TOASTed out of line).
    await sync.sql.query(`INSERT INTO gadgets (id, name, nums) SELECT 'm1', 'modest', array_fill(7::int8, ARRAY[300])`);
    const nums = `[${Array(300).fill(7).join(',')}]`;
    await waitFor(async () => (await gadget('m1'))?.nums === nums, { message: 'the array row' });
    const kept = await sync.sql.query(
      `SELECT row_data FROM powersync_storage.current_data WHERE source_key = '["m1"]'`,
    );
    expect(kept.rows[0]?.row_data).toBeNull(); // small as text: not kept
    await sync.sql.query(`UPDATE gadgets SET name = 'still modest' WHERE id = 'm1'`);
    await waitFor(async () => (await gadget('m1'))?.name === 'still modest', { message: 'the update' });
    expect((await gadget('m1'))?.nums).toBe(nums);
    await sync.sql.query(`DELETE FROM gadgets WHERE id = 'm1'`);
  });

  it('treats a changed primary key as a delete and an insert', async () => {
    await sync.sql.query(`UPDATE gadgets SET id = 'g2' WHERE id = 'g1'`);
    await waitFor(async () => (await gadget('g2'))?.name === 'Renamed' && !(await gadget('g1')), {
      message: 'the key change',
    });
  });

  it('ignores tables outside the publication', async () => {
    await sync.sql.query(`INSERT INTO unpublished VALUES ('u1', 'x')`);
    await sync.caughtUp();
    const sources = await sync.sql.query(`SELECT DISTINCT source_table FROM powersync_storage.current_data`);
    expect(sources.rows.map((r) => r.source_table)).toEqual(['public.gadgets']);
  });

  it('removes every row of a truncated table', async () => {
    await sync.sql.query('TRUNCATE gadgets');
    await waitFor(async () => (await client.rows('SELECT * FROM gadgets')).length === 0, { message: 'the truncate' });
    await sync.sql.query(`INSERT INTO gadgets (id, name) VALUES ('g3', 'after truncate')`);
    await waitFor(() => gadget('g3'), { message: 'a row after the truncate' });
    expect(client.logs.filter((line) => line.includes("Checksums didn't match"))).toEqual([]);
  });
});

describe('storage safety', () => {
  it('refuses to start when the publication would include its storage schema', async () => {
    const databaseUrl = await createTestDatabase(inject('pgCluster'));
    const { default: pg } = await import('pg');
    const setup = new pg.Client({ connectionString: databaseUrl });
    await setup.connect();
    await setup.query('DROP PUBLICATION powersync; CREATE PUBLICATION powersync FOR ALL TABLES');
    await setup.end();
    await expect(
      buildApp({
        databaseUrl,
        jwksUrl: 'http://127.0.0.1:9/keys',
        syncRules: parseSyncRules(RULES),
        logger: silentLogger,
      }),
    ).rejects.toThrow(/storage schema "powersync_storage"/);
  });
});
