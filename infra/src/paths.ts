import { fileURLToPath } from 'node:url';

const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

/** Where the infra files live, for the tools that read them (migrator, sync service, tests). */
export const infraPaths = {
  migrations: here('../postgres/migrations'),
  seed: here('../postgres/seed.sql'),
  syncRules: here('../powersync/sync-rules.yaml'),
  repoRoot: here('../..'),
  /** Local state of `npm start` (embedded Postgres data, dev signing key); git-ignored. */
  dataDir: here('../../.data'),
} as const;
