import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { isPortInUse } from '@cr/db';
import { infraPaths } from '../src/paths.ts';
import { loadStackConfig } from './config.ts';

/**
 * `npm run reset`: wipes the local data of `npm start` (the embedded Postgres cluster and the dev
 * signing key), so the next start migrates and seeds a fresh database. It never touches a
 * database given by DATABASE_URL.
 */
const config = loadStackConfig();
const relative = path.relative(infraPaths.repoRoot, config.dataDir);

if (config.databaseUrl) {
  console.log(
    'DATABASE_URL is set: reset only wipes the embedded database; drop and recreate your own database yourself.',
  );
}
if (await isPortInUse(config.pgPort)) {
  console.error(`Embedded Postgres is running on port ${config.pgPort}: stop "npm start" (Ctrl-C) first.`);
  process.exit(1);
}
if (!existsSync(config.dataDir)) {
  console.log(`Nothing to reset: ${relative}/ does not exist.`);
} else {
  await rm(config.dataDir, { recursive: true, force: true });
  console.log(
    `Removed ${relative}/ (embedded Postgres data and dev signing key). The next "npm start" seeds fresh demo data.`,
  );
}
