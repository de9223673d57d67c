import { migrate, withDatabase } from '@cr/db';
import { createTestDatabase } from '@cr/db/testing';
import { columnNames } from '@cr/schema';
import { ENGINE_MIGRATIONS } from '@cr/upload-engine';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { schema, TABLE_NAMES } from './tables.ts';

let client: pg.Client;

beforeAll(async () => {
  client = new pg.Client({ connectionString: await createTestDatabase(inject('pgCluster')) });
  await client.connect();
});
afterAll(() => client.end());

async function sqlColumns(table: string) {
  const { rows } = await client.query<{ column_name: string; data_type: string; is_nullable: 'YES' | 'NO' }>(
    `SELECT column_name, data_type, is_nullable FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  return rows;
}

describe('the demo schema matches the SQL in infra/postgres', () => {
  it.each(TABLE_NAMES)('%s has the same columns, types and nullability', async (name) => {
    const definition = schema.table(name);
    const columns = await sqlColumns(name);
    expect(columns.length, `table ${name} exists in the migrations`).toBeGreaterThan(0);

    const idColumn = columns.find((c) => c.column_name === 'id');
    expect(idColumn?.data_type).toBe(definition.id === 'uuid' ? 'uuid' : 'text');
    expect(idColumn?.is_nullable).toBe('NO');

    const sql = Object.fromEntries(columns.filter((c) => c.column_name !== 'id').map((c) => [c.column_name, c]));
    expect(Object.keys(sql).sort()).toEqual(columnNames(definition).sort());
    for (const [column, builder] of Object.entries(definition.columns)) {
      expect({ column, type: sql[column]?.data_type, nullable: sql[column]?.is_nullable === 'YES' }).toEqual({
        column,
        type: builder.spec.sqlType,
        nullable: builder.spec.nullable,
      });
    }
  });

  it('publishes exactly the synced tables in the powersync publication', async () => {
    const { rows } = await client.query<{ tablename: string }>(
      `SELECT tablename FROM pg_publication_tables WHERE pubname = 'powersync' ORDER BY tablename`,
    );
    const synced = TABLE_NAMES.filter((name) => schema.table(name).synced).sort();
    expect(rows.map((r) => r.tablename)).toEqual(synced);
  });

  it('has the upload engine’s tables as the engine’s own SQL creates them', async () => {
    // A database with the engine's migrations alone, as an app of its own would start.
    const { serverUrl } = inject('pgCluster');
    const name = `engine_only_${process.pid}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    await migrate(withDatabase(serverUrl, name), ENGINE_MIGRATIONS.dir);
    const engineOnly = new pg.Client({ connectionString: withDatabase(serverUrl, name) });
    await engineOnly.connect();
    try {
      const columns = async (db: pg.Client) =>
        (
          await db.query<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>(
            `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
              WHERE table_schema = 'public' AND table_name <> 'schema_migrations' ORDER BY table_name, column_name`,
          )
        ).rows;
      const engineTables = await columns(engineOnly);
      const names = new Set(engineTables.map((c) => c.table_name));
      expect([...names].sort()).toEqual([
        'api_clients',
        'applied_operations',
        'deleted_rows',
        'field_changes',
        'rejections',
        'write_conflicts',
      ]);
      expect((await columns(client)).filter((c) => names.has(c.table_name))).toEqual(engineTables);
    } finally {
      await engineOnly.end();
    }
  });

  it('SQL defaults agree with the schema defaults for client-owned columns', async () => {
    const { rows } = await client.query<{ table_name: string; column_name: string; column_default: string | null }>(
      `SELECT table_name, column_name, column_default FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    for (const name of TABLE_NAMES) {
      for (const [column, builder] of Object.entries(schema.table(name).columns)) {
        const sqlDefault = rows.find((r) => r.table_name === name && r.column_name === column)?.column_default ?? null;
        const expected = builder.spec.default;
        if (expected === undefined) continue;
        expect(sqlDefault, `${name}.${column} has a SQL default`).not.toBeNull();
        const { rows: evaluated } = await client.query<{ v: unknown }>(`SELECT to_jsonb(${sqlDefault}) AS v`);
        expect(evaluated[0]?.v, `${name}.${column} default`).toEqual(expected);
      }
    }
  });
});
