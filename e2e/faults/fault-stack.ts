import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, migrate, type RunningPostgres, seedIfEmpty, startEmbeddedPostgres } from '@cr/db';
import { infraPaths } from '@cr/infra';
import {
  appLaunch,
  appUrl,
  httpProbe,
  newSigningKey,
  type RunningService,
  startService,
  waitUntilReady,
} from '@cr/infra/stack';
import pg from 'pg';

type Service = 'api' | 'sync';

/**
 * The stack of a fault run, every part of which the nemesis can break: embedded Postgres in a
 * folder of its own (stopped, crashed, started again on the same port), the upload API and the
 * sync service as child processes on fixed ports (killed with SIGTERM or SIGKILL, started again,
 * paused with SIGSTOP). One signing key for every API incarnation, so tokens stay valid. The apps
 * start as the one launcher (infra/stack) starts them everywhere: the same entry, environment and
 * readiness, with the run's own settings on top.
 */
export class FaultStack {
  postgres: RunningPostgres | null = null;
  private readonly services: Record<Service, RunningService | null> = { api: null, sync: null };
  private readonly incarnations: Record<Service, number> = { api: 0, sync: 0 };
  private readonly signingKey = newSigningKey();

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
    return appUrl(this.apiPort);
  }

  get syncUrl(): string {
    return appUrl(this.syncPort);
  }

  isRunning(service: Service): boolean {
    return this.services[service]?.running ?? false;
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
    const at = { databaseUrl: this.databaseUrl, ports: { api: this.apiPort, sync: this.syncPort, web: 0 } };
    const own: Record<Service, Record<string, string>> = {
      api: { JWT_PRIVATE_JWK: this.signingKey, FIELD_CHANGE_SWEEP_MS: '500', LOG_LEVEL: 'info' },
      sync: { SYNC_COMPACT_INTERVAL_MS: '5000' },
    };
    const launch = appLaunch(service, at, own[service]);
    const child = startService(launch.spec, {
      kind: 'file',
      path: path.join(this.logDir, `${service}-${this.incarnations[service]}.log`),
    });
    this.services[service] = child;
    // The sync service by liveness, not readiness: the nemesis restarts it while Postgres may be
    // down, and the run goes on while it reconnects (the checkers judge what clients then see).
    const ready = service === 'sync' ? httpProbe(`${this.syncUrl}/probes/liveness`) : launch.ready;
    await waitUntilReady(child, ready, 60_000, () => {});
  }

  /** Ends a service with `signal` (SIGTERM: it closes in order; SIGKILL: it just dies). */
  async stopService(service: Service, signal: 'SIGTERM' | 'SIGKILL'): Promise<string> {
    const child = this.services[service];
    if (!child || !this.isRunning(service)) return 'not running';
    const exit = signal === 'SIGKILL' ? await child.kill('SIGKILL') : await child.stop(15_000);
    return exit.signal ?? String(exit.code);
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
    this.services[service]?.pause();
  }

  resume(service: Service): void {
    this.services[service]?.resume();
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
