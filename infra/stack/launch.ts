import path from 'node:path';
import { isPortInUse, migrate, type RunningPostgres, redactUrl, seedIfEmpty, startEmbeddedPostgres } from '@cr/db';
import { infraPaths } from '../src/paths.ts';
import { type AppName, appLaunch, appUrl, type StackAddresses } from './apps.ts';
import { StartError, waitUntilReady } from './readiness.ts';
import { type RunningService, startService } from './service.ts';

export interface LaunchOptions {
  /** An external Postgres (its URL), or an embedded one whose data lives in `dataDir`. */
  postgres: { url: string } | { dataDir: string; port: number };
  /** The apps to start, in this order, each once the previous one is ready. */
  apps: readonly AppName[];
  ports: StackAddresses['ports'];
  /** Extra environment per app (a signing key, limits, a test build …). */
  env?: Partial<Record<AppName, Record<string, string>>>;
  /** Output of the apps: prefixed on stdout, or one log file per app in a folder. */
  output: { kind: 'terminal' } | { kind: 'files'; dir: string };
  /** Progress: `say('postgres', 'schema is up to date')`. */
  say(source: string, line: string): void;
  /** Migrate (default) and seed the demo data into an empty database (default). */
  migrate?: boolean;
  seed?: boolean;
  /**
   * Whether a failed start stops what it started (default). `npm start` stops everything itself
   * (it also stops on Ctrl-C and when a service dies), with `onPostgres` / `onStart`.
   */
  stopOnFailure?: boolean;
  /** Called as each part starts, before it is ready, and once it is (so a caller can watch it die). */
  onPostgres?(postgres: RunningPostgres): void;
  onStart?(service: RunningService): void;
  onReady?(service: RunningService): void;
}

export interface Stack extends StackAddresses {
  apiUrl: string;
  syncUrl: string;
  webUrl: string;
  postgres: RunningPostgres | null;
  services: RunningService[];
  /** Stops the apps (last started first), then the embedded Postgres. Safe to call twice. */
  stop(say?: (source: string, line: string) => void): Promise<void>;
}

const VARIABLES: Record<AppName | 'postgres', [string, string]> = {
  postgres: ['embedded Postgres', 'PG_PORT'],
  api: ['upload API', 'API_PORT'],
  sync: ['sync service', 'SYNC_PORT'],
  web: ['web client', 'WEB_PORT'],
};

async function ensurePortFree(port: number, what: AppName | 'postgres'): Promise<void> {
  if (await isPortInUse(port)) {
    const [name, variable] = VARIABLES[what];
    throw new StartError(
      `Port ${port} (${name}) is already in use. Is another "npm start" running? Set ${variable} to use another port.`,
    );
  }
}

/**
 * The one launcher of the whole stack, for `npm start` (infra/dev), the end-to-end scenarios
 * (e2e/stack), the benchmarks and fault runs: Postgres (embedded, or the one at a URL), the
 * migrations, the demo seed on first use, then the apps as child processes, each started once the
 * previous one is ready (the sync service: once it replicates). A start that fails stops what was
 * started and throws; `StartError` carries the whole story (a missing grant, a service that
 * exited and its last lines) for the caller to print.
 */
export async function launchStack(options: LaunchOptions): Promise<Stack> {
  const services: RunningService[] = [];
  let postgres: RunningPostgres | null = null;
  let stopped = false;
  const stop = async (say = options.say) => {
    if (stopped) return;
    stopped = true;
    for (const service of [...services].reverse()) {
      say('stack', `stopping ${service.name}`);
      await service.stop();
    }
    if (postgres) {
      say('postgres', 'stopping');
      await postgres.stop();
    }
  };
  try {
    let databaseUrl: string;
    if ('url' in options.postgres) {
      databaseUrl = options.postgres.url;
      options.say('postgres', `using DATABASE_URL ${redactUrl(databaseUrl)}`);
    } else {
      const { dataDir, port } = options.postgres;
      await ensurePortFree(port, 'postgres');
      options.say('postgres', `starting embedded Postgres on port ${port} (data: ${describePath(dataDir)})`);
      postgres = await startEmbeddedPostgres({ dataDir, port });
      options.onPostgres?.(postgres);
      databaseUrl = postgres.url;
    }
    if (options.migrate ?? true) {
      const migrations = await migrate(databaseUrl, infraPaths.migrations).catch((error: unknown) => {
        throw migrationError(error, databaseUrl);
      });
      options.say(
        'postgres',
        migrations.applied.length ? `applied migrations: ${migrations.applied.join(', ')}` : 'schema is up to date',
      );
    }
    if ((options.seed ?? true) && (await seedIfEmpty(databaseUrl, infraPaths.seed))) {
      options.say('postgres', 'seeded the demo data (first run)');
    }
    const at: StackAddresses = { databaseUrl, ports: options.ports };
    for (const name of options.apps) {
      await ensurePortFree(options.ports[name], name);
      const launch = appLaunch(name, at, options.env?.[name]);
      const output =
        options.output.kind === 'terminal'
          ? ({ kind: 'terminal' } as const)
          : ({ kind: 'file', path: path.join(options.output.dir, `${name}.log`) } as const);
      const service = startService(launch.spec, output);
      services.push(service);
      options.onStart?.(service);
      await waitUntilReady(service, launch.ready, launch.readyTimeoutMs, (line) => options.say('stack', line));
      options.say('stack', `${name} is ready`);
      options.onReady?.(service);
    }
    return {
      ...at,
      apiUrl: appUrl(options.ports.api),
      syncUrl: appUrl(options.ports.sync),
      webUrl: appUrl(options.ports.web),
      postgres,
      services,
      stop,
    };
  } catch (error) {
    if (options.stopOnFailure ?? true) await stop();
    throw error;
  }
}

function describePath(dir: string): string {
  const relative = path.relative(infraPaths.repoRoot, dir);
  return relative.startsWith('..') ? dir : relative;
}

const quoteIdent = (name: string) => (/^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`);

/**
 * Migrations refused for lack of a privilege, with the grant that fixes it. The role in the URL
 * runs them, so it needs to create tables in `public` and the publication (CREATE on the
 * database); owning the database gives both.
 */
function migrationError(error: unknown, url: string): Error {
  const message = error instanceof Error ? error.message : String(error);
  const parsed = new URL(url);
  const role = quoteIdent(decodeURIComponent(parsed.username) || '<role>');
  const database = quoteIdent(decodeURIComponent(parsed.pathname.slice(1)) || '<database>');
  let fix: string | null = null;
  if (/permission denied for database/i.test(message)) fix = `GRANT CREATE ON DATABASE ${database} TO ${role};`;
  else if (/permission denied for schema/i.test(message)) fix = `ALTER DATABASE ${database} OWNER TO ${role};`;
  if (!fix) return error instanceof Error ? error : new Error(message);
  return new StartError(
    `${message}\nThe role in DATABASE_URL runs the migrations (tables and the publication powersync). Fix: as a superuser, ${fix}`,
  );
}
