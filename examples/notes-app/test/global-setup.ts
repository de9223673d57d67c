import { fileURLToPath } from 'node:url';
import { createGlobalSetup } from '@cr/db/vitest-global-setup';
import { ENGINE_MIGRATIONS } from '@cr/upload-engine';

/** One Postgres for the run, migrated as the README says: the engine's SQL, then the app's. */
export default createGlobalSetup({
  migrationsDir: [ENGINE_MIGRATIONS.dir, fileURLToPath(new URL('../migrations', import.meta.url))],
});
