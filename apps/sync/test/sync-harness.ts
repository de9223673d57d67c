import { seedIfEmpty } from '@cr/db';
import { createTestDatabase } from '@cr/db/testing';
import { infraPaths } from '@cr/infra';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp } from '../src/app.ts';
import { createLogger } from '../src/log.ts';
import { parseLsn } from '../src/pg/lsn.ts';
import { dropSlot } from '../src/replication/slot.ts';
import { parseSyncRules } from '../src/rules/sync-rules.ts';
import { KEEPALIVE_SQL } from '../src/storage/write-checkpoints.ts';
import { JwksServer } from './jwks-server.ts';
import { waitFor } from './wait-for.ts';

export interface HarnessOptions {
  /** An existing database (restart tests); default: a fresh migrated one. */
  databaseUrl?: string;
  /** Load infra/postgres/seed.sql first. */
  seed?: boolean;
  /** Sync rules YAML; default: infra/powersync/sync-rules.yaml. */
  syncRules?: string;
  keepaliveMs?: number;
  jwks?: JwksServer;
  jwksRefetchCooldownMs?: number;
  /** Print the service log (debugging). */
  verbose?: boolean;
}

/** A running sync service on a test database, with a JWKS server and a SQL pool for the test. */
export interface SyncHarness {
  app: FastifyInstance;
  /** `powersync_url` for clients. */
  url: string;
  databaseUrl: string;
  jwks: JwksServer;
  /** Every log line of this service (and of its restarts). */
  logs: string[];
  sql: pg.Pool;
  /**
   * A new service on the same database and port (as after a restart of the sync service);
   * `whileDown` runs between the old one closing and the new one starting.
   */
  restart(whileDown?: () => Promise<void>): Promise<void>;
  /** Waits until the service serves a checkpoint. */
  ready(): Promise<void>;
  /** Waits until replication has processed everything committed so far. */
  caughtUp(): Promise<void>;
  close(): Promise<void>;
}

export async function startSync(options: HarnessOptions = {}): Promise<SyncHarness> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase(inject('pgCluster')));
  if (options.seed) await seedIfEmpty(databaseUrl, infraPaths.seed);
  const jwks = options.jwks ?? (await JwksServer.start());
  const logs: string[] = [];
  const logger = createLogger({
    level: 'debug',
    write: (line) => {
      logs.push(line);
      if (options.verbose) process.stdout.write(`${line}\n`);
    },
  });
  const rules = options.syncRules ? parseSyncRules(options.syncRules) : undefined;
  const sql = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  sql.on('error', () => {}); // idle connections die when a test restarts Postgres

  const launch = async (port = 0) => {
    const app = await buildApp({
      databaseUrl,
      jwksUrl: jwks.url,
      logger,
      ...(rules ? { syncRules: rules } : { syncRulesPath: infraPaths.syncRules }),
      keepaliveMs: options.keepaliveMs ?? 20_000,
      ...(options.jwksRefetchCooldownMs === undefined ? {} : { jwksRefetchCooldownMs: options.jwksRefetchCooldownMs }),
    });
    const address = await app.listen({ port, host: '127.0.0.1' });
    return { app, url: address.replace('localhost', '127.0.0.1') };
  };

  let current = await launch();
  const harness: SyncHarness = {
    get app() {
      return current.app;
    },
    get url() {
      return current.url;
    },
    databaseUrl,
    jwks,
    logs,
    sql,
    async restart(whileDown) {
      const port = Number(new URL(current.url).port);
      await current.app.close();
      await whileDown?.();
      current = await launch(port);
    },
    async ready() {
      // A first start copies the tables: allow for a machine busy with other work.
      await waitFor(() => current.app.sync.service.bus.latest !== null, {
        timeoutMs: 60_000,
        message: 'the first checkpoint',
      });
    },
    async caughtUp() {
      const { rows } = await sql.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
      const target = parseLsn(rows[0]?.lsn ?? '0/0');
      await sql.query(KEEPALIVE_SQL);
      await waitFor(() => (current.app.sync.service.bus.latest?.lsn ?? 0n) >= target, { message: 'replication' });
    },
    async close() {
      await current.app.close();
      // Slots belong to the cluster: drop ours so the test database can go.
      const { rows } = await sql.query<{ slot_name: string }>(
        'SELECT slot_name FROM pg_replication_slots WHERE database = current_database()',
      );
      for (const { slot_name } of rows) await dropSlot(sql, slot_name).catch(() => {});
      await sql.end();
      if (!options.jwks) await jwks.close();
    },
  };
  return harness;
}
