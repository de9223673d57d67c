import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded.ts';
import { migrate } from './migrate.ts';
import { freePort } from './ports.ts';
import { withDatabase } from './url.ts';

export interface TestCluster {
  /** URL of the server's maintenance database. */
  serverUrl: string;
  /** A migrated database to clone test databases from. */
  templateDatabase: string;
  stop(): Promise<void>;
}

/**
 * For a test run's global setup: a Postgres server (embedded, in a temporary directory; or the
 * one at TEST_DATABASE_URL) with a migrated template database. Each test file then clones the
 * template with {@link createTestDatabase}, so files run in parallel without sharing rows.
 */
export async function startTestCluster(options: { migrationsDir: string | readonly string[] }): Promise<TestCluster> {
  const external = process.env.TEST_DATABASE_URL;
  let serverUrl: string;
  let stopServer: () => Promise<void> = async () => {};
  if (external) {
    serverUrl = external;
  } else {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'cr-test-pg-'));
    await chmod(dataDir, 0o755); // the server may run as the `postgres` user (when we are root)
    const server = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'data'), port: await freePort() });
    serverUrl = server.url;
    stopServer = async () => {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    };
  }
  const templateDatabase = `cr_template_${process.pid}_${Date.now().toString(36)}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${templateDatabase}`);
  await migrate(withDatabase(serverUrl, templateDatabase), options.migrationsDir);
  return {
    serverUrl,
    templateDatabase,
    stop: async () => {
      if (external) await dropDatabasesWithPrefix(serverUrl, templateDatabase);
      await stopServer();
    },
  };
}

let counter = 0;

/** Creates a fresh, migrated database for one test file and returns its URL. */
export async function createTestDatabase(
  cluster: Pick<TestCluster, 'serverUrl' | 'templateDatabase'>,
): Promise<string> {
  counter += 1;
  const name = `${cluster.templateDatabase}_t${process.pid}_${counter}`;
  await adminQuery(cluster.serverUrl, `CREATE DATABASE ${name} TEMPLATE ${cluster.templateDatabase}`);
  return withDatabase(cluster.serverUrl, name);
}

export interface OwnedDatabase {
  /** Connection string as the owning role (not a superuser). */
  url: string;
  role: string;
  database: string;
  /** Runs SQL on this database as the server's superuser (for grants, as an operator would). */
  asSuperuser(sql: string): Promise<void>;
  /** Drops the database (and its replication slots) and the role. */
  drop(): Promise<void>;
}

/**
 * An empty database owned by a new plain role, as a hosting provider or a DBA hands one out: LOGIN
 * with a password, no superuser, and no REPLICATION unless asked. The caller migrates it.
 */
export async function createOwnedDatabase(
  cluster: Pick<TestCluster, 'serverUrl'>,
  options: { replication?: boolean } = {},
): Promise<OwnedDatabase> {
  counter += 1;
  const role = `cr_owner_${process.pid}_${counter}`;
  const database = `cr_owned_${process.pid}_${counter}`;
  const password = `pw_${Math.random().toString(36).slice(2)}`;
  await adminQuery(
    cluster.serverUrl,
    `CREATE ROLE ${role} LOGIN PASSWORD '${password}' ${options.replication ? 'REPLICATION' : 'NOREPLICATION'}`,
  );
  await adminQuery(cluster.serverUrl, `CREATE DATABASE ${database} OWNER ${role}`);
  const url = new URL(withDatabase(cluster.serverUrl, database));
  url.username = role;
  url.password = password;
  const asSuperuser = (sql: string) => adminQuery(withDatabase(cluster.serverUrl, database), sql);
  return {
    url: url.toString(),
    role,
    database,
    asSuperuser,
    async drop() {
      await adminQuery(
        cluster.serverUrl,
        `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
          WHERE database = '${database}' AND NOT active`,
      );
      await adminQuery(cluster.serverUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await adminQuery(cluster.serverUrl, `DROP ROLE IF EXISTS ${role}`);
    },
  };
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function dropDatabasesWithPrefix(serverUrl: string, prefix: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY length(datname) DESC',
      [prefix],
    );
    for (const { datname } of rows) {
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}
