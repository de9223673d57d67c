import { infraPaths } from '../src/paths.ts';

/** The launcher's settings: the one place in infra/dev that reads process.env. */
export interface StackConfig {
  /** An external Postgres; when absent, the embedded one is started. */
  databaseUrl: string | undefined;
  pgPort: number;
  apiPort: number;
  syncPort: number;
  webPort: number;
  dataDir: string;
  /** Which apps to start (STACK_SERVICES=api,sync); all that exist by default. */
  services: readonly string[];
}

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`${name} must be a port number (1-65535); got "${raw}".`);
  }
  return value;
}

export function loadStackConfig(): StackConfig {
  return {
    databaseUrl: process.env.DATABASE_URL || undefined,
    pgPort: port('PG_PORT', 54329),
    apiPort: port('API_PORT', 8787),
    syncPort: port('SYNC_PORT', 8080),
    webPort: port('WEB_PORT', 5173),
    dataDir: process.env.CR_DATA_DIR || infraPaths.dataDir,
    services: (process.env.STACK_SERVICES || 'api,sync,web').split(',').map((s) => s.trim()),
  };
}
