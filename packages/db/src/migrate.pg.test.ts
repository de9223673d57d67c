import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from './migrate.ts';
import { createTestDatabase, startTestCluster, type TestCluster } from './testing.ts';

const migrations = fileURLToPath(new URL('../../../infra/postgres/migrations', import.meta.url));
let cluster: TestCluster;
let scratch: string;

beforeAll(async () => {
  cluster = await startTestCluster({ migrationsDir: migrations });
  scratch = await mkdtemp(path.join(tmpdir(), 'cr-migrations-'));
});
afterAll(async () => {
  await cluster?.stop();
  await rm(scratch, { recursive: true, force: true });
});

describe('migrate', () => {
  it('applies nothing twice', async () => {
    const url = await createTestDatabase(cluster);
    const again = await migrate(url, migrations);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied.length).toBeGreaterThanOrEqual(3);
  });

  it('applies a new migration once, and refuses an edited one', async () => {
    const url = await createTestDatabase(cluster);
    const dir = path.join(scratch, 'm');
    await cp(migrations, dir, { recursive: true });
    await writeFile(path.join(dir, '9999_extra.sql'), 'CREATE TABLE extra (id int);');
    expect((await migrate(url, dir)).applied).toEqual(['9999_extra.sql']);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    expect((await client.query(`SELECT to_regclass('extra') IS NOT NULL AS ok`)).rows[0].ok).toBe(true);
    await client.end();
    await writeFile(path.join(dir, '9999_extra.sql'), 'CREATE TABLE extra (id bigint);');
    await expect(migrate(url, dir)).rejects.toThrow(/9999_extra.sql changed after it was applied/);
  });

  it('applies several folders in order, a library’s before the app’s, and refuses a name in two', async () => {
    const url = await createTestDatabase(cluster);
    const library = path.join(scratch, 'library');
    const app = path.join(scratch, 'app');
    await mkdir(library, { recursive: true });
    await mkdir(app, { recursive: true });
    await writeFile(path.join(library, 'lib_0001.sql'), 'CREATE TABLE lib_things (id int PRIMARY KEY);');
    await writeFile(path.join(app, '0001_app.sql'), 'CREATE TABLE app_refs (id int REFERENCES lib_things (id));');
    expect((await migrate(url, [library, app])).applied).toEqual(['lib_0001.sql', '0001_app.sql']);
    await writeFile(path.join(app, 'lib_0001.sql'), 'SELECT 1;');
    await expect(migrate(url, [library, app])).rejects.toThrow(/lib_0001.sql is in more than one folder/);
  });

  it('rolls back a failing migration and says which', async () => {
    const url = await createTestDatabase(cluster);
    const dir = path.join(scratch, 'bad');
    await cp(migrations, dir, { recursive: true });
    await writeFile(path.join(dir, '9999_bad.sql'), 'CREATE TABLE half (id int); SELECT no_such_function();');
    await expect(migrate(url, dir)).rejects.toThrow(/Migration 9999_bad.sql failed/);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    expect((await client.query(`SELECT to_regclass('half') IS NULL AS gone`)).rows[0].gone).toBe(true);
    await client.end();
  });
});
