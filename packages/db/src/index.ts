export { type EmbeddedPostgresOptions, type RunningPostgres, startEmbeddedPostgres } from './embedded.ts';
export { type MigrationResult, migrate, seedIfEmpty } from './migrate.ts';
export { freePort, isPortInUse } from './ports.ts';
export { redactUrl, withDatabase } from './url.ts';
