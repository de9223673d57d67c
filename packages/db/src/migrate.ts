import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

/** An arbitrary, fixed key: only one migrator at a time per database. */
const MIGRATION_LOCK_KEY = 7_431_002;

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
}

/**
 * Applies the `*.sql` files of `dir` in name order, each in its own transaction, and records them
 * in `schema_migrations`. A file that was applied before and has changed since is an error: a
 * migration is never edited after it ran, a new one is added instead. With several folders (a
 * library's migrations, then the app's), each folder's files run in order, folder after folder;
 * file names must be unique across them.
 */
export async function migrate(databaseUrl: string, dir: string | readonly string[]): Promise<MigrationResult> {
  const files: { name: string; path: string }[] = [];
  for (const folder of typeof dir === 'string' ? [dir] : dir) {
    const names = (await readdir(folder)).filter((name) => name.endsWith('.sql')).sort();
    for (const name of names) {
      if (files.some((file) => file.name === name)) throw new Error(`Migration ${name} is in more than one folder.`);
      files.push({ name, path: path.join(folder, name) });
    }
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ name: string; checksum: string }>(
      'SELECT name, checksum FROM schema_migrations',
    );
    const done = new Map(rows.map((row) => [row.name, row.checksum]));
    const result: MigrationResult = { applied: [], alreadyApplied: [] };
    for (const { name, path: file } of files) {
      const sql = await readFile(file, 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      const previous = done.get(name);
      if (previous !== undefined) {
        if (previous !== checksum) {
          throw new Error(
            `Migration ${name} changed after it was applied to this database. ` +
              'Add a new migration instead, or reset the local database (npm run reset).',
          );
        }
        result.alreadyApplied.push(name);
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [name, checksum]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${name} failed: ${(error as Error).message}`);
      }
      result.applied.push(name);
    }
    return result;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    await client.end();
  }
}

/** Runs the seed file once: only when the database has no users yet. Returns whether it ran. */
export async function seedIfEmpty(databaseUrl: string, seedFile: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query('LOCK TABLE users IN EXCLUSIVE MODE');
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
    if ((rows[0]?.n ?? 0) > 0) {
      await client.query('ROLLBACK');
      return false;
    }
    await client.query(await readFile(seedFile, 'utf8'));
    await client.query('COMMIT');
    return true;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}
