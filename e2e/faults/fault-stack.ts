import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, migrate, type RunningPostgres, seedIfEmpty, startEmbeddedPostgres } from '@cr/db';
import { infraPaths } from '@cr/infra';
import pg from 'pg';
import { type ChildService, startChildService, waitForHttp } from '../stack/child-service.ts';

type Service = 'api' | 'sync';

/**
 * The stack of a fault run, every part of which the nemesis can break: embedded Postgres in a
 * folder of its own (stopped, crashed, started again on the same port), the upload API and the
 * sync service as child processes on fixed ports (killed with SIGTERM or SIGKILL, started again,
 * paused with SIGSTOP). One signing key for every API incarnation, so tokens stay valid.
 */
export class FaultStack {
  postgres: RunningPostgres | null = null;
  private readonly services: Record<Service, ChildService | null> = { api: null, sync: null };
  private readonly incarnations: Record<Service, number> = { api: 0, sync: 0 };
  private readonly signingKey = signingKey();

  private constructor(
    private readonly dir: string,
    readonly logDir: string,
    readonly pgPort: number,
    readonly apiPort: number,
    readonly syncPort: number,
  ) {}

  /** Postgres migrated, `beforeSeed` (the observer's slot), the seed; then the API and sync. */
  static async start(logDir: string, beforeSeed: (databaseUrl: string) => Promise<void>): Promise<FaultStack> {
    await mkdir(logDir, { recursive: true });
    const dir = await mkdtemp(path.join(tmpdir(), 'cr-faults-'));
    await chmod(dir, 0o755); // as root, Postgres runs as the postgres user and must reach its folder
    const stack = new FaultStack(dir, logDir, await freePort(), await freePort(), await freePort());
    try {
      await stack.startPostgres();
      await migrate(stack.databaseUrl, infraPaths.migrations);
      await beforeSeed(stack.databaseUrl);
      await seedIfEmpty(stack.databaseUrl, infraPaths.seed);
      await stack.startService('api');
      await stack.startService('sync');
      return stack;
    } catch (error) {
      await stack.stop();
      throw error;
    }
  }

  get databaseUrl(): string {
    return `postgres://postgres:postgres@127.0.0.1:${this.pgPort}/postgres`;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.apiPort}`;
  }

  get syncUrl(): string {
    return `http://127.0.0.1:${this.syncPort}`;
  }

  isRunning(service: Service): boolean {
    const child = this.services[service]?.child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  async startPostgres(): Promise<void> {
    this.postgres = await startEmbeddedPostgres({ dataDir: path.join(this.dir, 'pg'), port: this.pgPort });
  }

  /** `crash`: immediate shutdown (recovery from WAL at the next start); otherwise a fast shutdown. */
  async stopPostgres(crash: boolean): Promise<void> {
    const postgres = this.postgres;
    this.postgres = null;
    await (crash ? postgres?.crash() : postgres?.stop());
  }

  async startService(service: Service): Promise<void> {
    if (this.isRunning(service)) return;
    this.incarnations[service] += 1;
    const spec: { entry: string; env: Record<string, string>; ready: string } =
      service === 'api'
        ? {
            entry: 'apps/api/src/server.ts',
            env: {
              DATABASE_URL: this.databaseUrl,
              API_PORT: String(this.apiPort),
              SYNC_PORT: String(this.syncPort),
              JWT_PRIVATE_JWK: this.signingKey,
              FIELD_CHANGE_SWEEP_MS: '500',
              LOG_LEVEL: 'info',
            },
            ready: `${this.apiUrl}/api/health`,
          }
        : {
            entry: 'apps/sync/src/server.ts',
            env: {
              DATABASE_URL: this.databaseUrl,
              SYNC_PORT: String(this.syncPort),
              JWKS_URL: `${this.apiUrl}/api/auth/keys`,
              SYNC_COMPACT_INTERVAL_MS: '5000',
            },
            ready: `${this.syncUrl}/probes/liveness`,
          };
    const child = startChildService({
      name: service,
      entry: path.join(infraPaths.repoRoot, spec.entry),
      cwd: infraPaths.repoRoot,
      env: spec.env,
      logFile: path.join(this.logDir, `${service}-${this.incarnations[service]}.log`),
    });
    this.services[service] = child;
    await waitForHttp(child, spec.ready, 60_000);
  }

  /** Ends a service with `signal` (SIGTERM: it closes in order; SIGKILL: it just dies). */
  async stopService(service: Service, signal: 'SIGTERM' | 'SIGKILL'): Promise<string> {
    const child = this.services[service];
    if (!child || !this.isRunning(service)) return 'not running';
    child.child.kill('SIGCONT'); // a paused process cannot handle SIGTERM
    child.child.kill(signal);
    const timer = setTimeout(() => child.child.kill('SIGKILL'), 15_000);
    const exit = await child.exited;
    clearTimeout(timer);
    return exit;
  }

  /** Runs one query on the database (a new connection each time: Postgres may have restarted). */
  async query<R extends pg.QueryResultRow>(text: string): Promise<R[]> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    client.on('error', () => {});
    await client.connect();
    try {
      return (await client.query<R>(text)).rows;
    } finally {
      await client.end().catch(() => {});
    }
  }

  /** Field changes the API's worker has not processed yet. */
  async pendingFieldChanges(): Promise<number> {
    const rows = await this.query<{ n: string }>(`SELECT count(*) AS n FROM field_changes WHERE status = 'pending'`);
    return Number(rows[0]?.n);
  }

  pause(service: Service): void {
    this.services[service]?.child.kill('SIGSTOP');
  }

  resume(service: Service): void {
    this.services[service]?.child.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    for (const service of ['sync', 'api'] as const) {
      this.resume(service);
      await this.services[service]?.stop();
    }
    await this.postgres?.stop().catch(() => {});
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** An ES256 signing key as a private JWK, for this run only (like e2e/stack does). */
function signingKey(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return JSON.stringify({ ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'ES256', use: 'sig' });
}
