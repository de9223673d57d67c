import { fileURLToPath } from 'node:url';
import { createGlobalSetup } from '@cr/db/vitest-global-setup';
import { ENGINE_MIGRATIONS } from '../src/migrations.ts';

export default createGlobalSetup({
  migrationsDir: [ENGINE_MIGRATIONS.dir, fileURLToPath(new URL('./sql', import.meta.url))],
});
