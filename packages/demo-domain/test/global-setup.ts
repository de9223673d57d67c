import { createGlobalSetup } from '@cr/db/vitest-global-setup';
import { infraPaths } from '@cr/infra';

export default createGlobalSetup({ migrationsDir: infraPaths.migrations });
