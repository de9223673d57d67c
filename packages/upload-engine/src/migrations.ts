import { fileURLToPath } from 'node:url';

/**
 * The engine's SQL, in order: its bookkeeping (ledger, client ids, tombstones) and the synced
 * outcome tables. Apply them before the app's own migrations, with any migration tool (the files
 * are plain SQL; this repository's `migrate` from @cr/db takes the folder).
 */
export const ENGINE_MIGRATIONS = {
  dir: fileURLToPath(new URL('../sql', import.meta.url)),
  files: ['engine_0001_bookkeeping.sql', 'engine_0002_outcome_tables.sql'],
} as const;

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The statements that attach the tombstone backstop (`refuse_deleted_id`) to the app's tables
 * clients can delete from, for the app's migration: a re-creation of a deleted id that raced
 * the delete is refused by the database too.
 */
export function tombstoneTriggers(tables: readonly string[]): string {
  return tables
    .map((table) => {
      if (!IDENTIFIER.test(table)) throw new Error(`tombstoneTriggers: "${table}" is not a usable SQL name`);
      return `CREATE TRIGGER "${table}_refuse_deleted_id" BEFORE INSERT ON "${table}"\n  FOR EACH ROW EXECUTE FUNCTION refuse_deleted_id();`;
    })
    .join('\n');
}
