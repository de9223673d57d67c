import { createTestDatabase } from '@cr/db/testing';
import { fieldChanges, rejections, writeConflicts } from '@cr/strategies';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { tombstoneTriggers } from '../src/migrations.ts';

let client: pg.Client;
beforeAll(async () => {
  client = new pg.Client({ connectionString: await createTestDatabase(inject('pgCluster')) });
  await client.connect();
});
afterAll(() => client?.end());

describe("the engine's SQL", () => {
  it.each([writeConflicts, fieldChanges, rejections])('creates $name exactly as its definition says', async (table) => {
    const { rows } = await client.query<{ column_name: string; data_type: string; is_nullable: string }>(
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name = $1 AND column_name <> 'id' ORDER BY ordinal_position`,
      [table.name],
    );
    expect(rows.map((r) => [r.column_name, r.data_type, r.is_nullable === 'YES'])).toEqual(
      Object.entries(table.columns).map(([name, builder]) => [name, builder.spec.sqlType, builder.spec.nullable]),
    );
  });

  it('writes the tombstone triggers for an app’s tables, which then refuse a deleted id', async () => {
    expect(tombstoneTriggers(['order'])).toBe(
      'CREATE TRIGGER "order_refuse_deleted_id" BEFORE INSERT ON "order"\n  FOR EACH ROW EXECUTE FUNCTION refuse_deleted_id();',
    );
    expect(() => tombstoneTriggers(['notes; DROP TABLE x'])).toThrow(/not a usable SQL name/);
    // A table named by an SQL keyword works too.
    await client.query('CREATE TABLE "order" (id uuid PRIMARY KEY)');
    await client.query(tombstoneTriggers(['order']));
    const id = '00000000-0000-4000-8000-000000000001';
    await client.query(`INSERT INTO deleted_rows VALUES ('order', $1, 'x', now())`, [id]);
    await expect(client.query('INSERT INTO "order" (id) VALUES ($1)', [id])).rejects.toThrow(
      /belonged to a deleted row/,
    );
  });
});
