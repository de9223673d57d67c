import type pg from 'pg';
import type { SyncRules } from '../rules/sync-rules.ts';
import { problems, type SourceIdentity, type SourceProblem } from './source-problems.ts';

/** The application name of the replication connection (to tell our WAL sender from others). */
export const REPLICATION_APP_NAME = 'powersync-sync-replication';

export interface SourceCheckOptions {
  publication: string;
  /** The service's own storage schema, which the publication must leave out. */
  storageSchema: string;
  /** Tables the sync rules read, as SQL names (`public.tasks`), for the fix of a missing publication. */
  tables: () => readonly string[];
}

export interface SourceCheck {
  who: SourceIdentity;
  problems: SourceProblem[];
}

/** Server settings and the role, as read from the catalogs. */
export interface ServerFacts {
  role: string;
  database: string;
  wal_level: string;
  max_slots: number;
  max_senders: number;
  can_replicate: boolean;
  slots_used: number;
  own_slots: number;
  idle_slots: string[];
  senders_used: number;
  own_senders: number;
}

/** The publication (null: it does not exist). */
export interface PublicationFacts {
  includes_storage: boolean;
  pubinsert: boolean;
  pubupdate: boolean;
  pubdelete: boolean;
  pubtruncate: boolean;
  unreadable: string[];
}

/**
 * Everything replication needs from the source database, read with two catalog queries before
 * each attempt (so a fix is picked up on the next one): wal_level, a role that may replicate,
 * the publication with all kinds of changes, tables the role can read and not our storage, a
 * free slot and a free WAL sender. Every gap is reported, not just the first.
 */
export async function checkSource(db: pg.Pool | pg.PoolClient, options: SourceCheckOptions): Promise<SourceCheck> {
  const { rows } = await db.query<ServerFacts>(
    `SELECT quote_ident(current_user) AS role,
            quote_ident(current_database()) AS database,
            current_setting('wal_level') AS wal_level,
            current_setting('max_replication_slots')::int AS max_slots,
            current_setting('max_wal_senders')::int AS max_senders,
            r.rolsuper OR r.rolreplication OR EXISTS (
              SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
               WHERE m.member = r.oid AND g.rolname = 'rds_replication') AS can_replicate,
            (SELECT count(*)::int FROM pg_replication_slots) AS slots_used,
            (SELECT count(*)::int FROM pg_replication_slots
              WHERE database = current_database() AND starts_with(slot_name, 'powersync_')) AS own_slots,
            (SELECT coalesce(array_agg(quote_literal(slot_name) ORDER BY slot_name), '{}')
               FROM pg_replication_slots WHERE NOT active) AS idle_slots,
            (SELECT count(*)::int FROM pg_stat_activity WHERE backend_type = 'walsender') AS senders_used,
            (SELECT count(*)::int FROM pg_stat_activity
              WHERE backend_type = 'walsender' AND usename = current_user AND application_name = $1) AS own_senders
       FROM pg_roles r WHERE r.rolname = current_user`,
    [REPLICATION_APP_NAME],
  );
  const server = rows[0];
  if (!server) throw new Error('The current role is not in pg_roles');

  const { rows: publications } = await db.query<PublicationFacts>(
    `SELECT p.pubinsert, p.pubupdate, p.pubdelete, p.pubtruncate,
            p.puballtables OR EXISTS (SELECT 1 FROM pg_publication_tables pt
                                       WHERE pt.pubname = p.pubname AND pt.schemaname = $2) AS includes_storage,
            (SELECT coalesce(array_agg(t.name ORDER BY t.name), '{}')
               FROM (SELECT format('%I.%I', pt.schemaname, pt.tablename) AS name
                       FROM pg_publication_tables pt WHERE pt.pubname = p.pubname) t
              WHERE NOT has_table_privilege(t.name, 'SELECT')) AS unreadable
       FROM pg_publication p WHERE p.pubname = $1`,
    [options.publication, options.storageSchema],
  );
  return diagnose(server, publications[0] ?? null, options);
}

/** The problems in what the catalogs say (every one of them, not just the first). */
export function diagnose(
  server: ServerFacts,
  publication: PublicationFacts | null,
  options: SourceCheckOptions,
): SourceCheck {
  const who: SourceIdentity = { role: server.role, database: server.database };
  const found: SourceProblem[] = [];

  if (server.wal_level !== 'logical') found.push(problems.walLevel(server.wal_level));
  if (!server.can_replicate) found.push(problems.replicationRole(who));
  // Our own slot (from an earlier run) is reused or replaced, so it needs no free one.
  if (server.own_slots === 0 && server.slots_used >= server.max_slots) {
    found.push(problems.noReplicationSlot(server.max_slots, server.idle_slots));
  }
  // A WAL sender of ours still running is a previous session ending: it frees its place.
  if (server.own_senders === 0 && server.senders_used >= server.max_senders) {
    found.push(problems.noWalSender(server.max_senders));
  }

  if (!publication) {
    found.push(problems.publicationMissing(options.publication, options.tables()));
  } else {
    if (publication.includes_storage) {
      found.push(problems.publicationIncludesStorage(options.publication, options.storageSchema, options.tables()));
    }
    const kinds = {
      insert: publication.pubinsert,
      update: publication.pubupdate,
      delete: publication.pubdelete,
      truncate: publication.pubtruncate,
    };
    const missing = Object.entries(kinds)
      .filter(([, published]) => !published)
      .map(([kind]) => kind);
    if (missing.length) found.push(problems.publicationIncomplete(options.publication, missing));
    if (publication.unreadable.length) found.push(problems.tablesNotReadable(who, publication.unreadable));
  }
  return { who, problems: found };
}

/** Whether the role can create the storage schema (or it exists already); checked before creating it. */
export async function checkStorageSchema(db: pg.Pool, schema: string): Promise<SourceCheck> {
  const { rows } = await db.query<{ role: string; database: string; ok: boolean }>(
    `SELECT quote_ident(current_user) AS role, quote_ident(current_database()) AS database,
            EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)
              OR has_database_privilege(current_database(), 'CREATE') AS ok`,
    [schema],
  );
  const row = rows[0];
  const who: SourceIdentity = { role: row?.role ?? '<role>', database: row?.database ?? '<database>' };
  return { who, problems: row?.ok ? [] : [problems.storageSchema(who, schema)] };
}

/** The tables the sync rules read, as SQL names (`public.tasks`): what the publication must list. */
export function ruleTableNames(rules: SyncRules): string[] {
  const quote = (name: string) => (/^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`);
  const names = rules
    .hydrate(1)
    .getSourceTables()
    .filter((pattern) => !pattern.isWildcard)
    .map((pattern) => `${quote(pattern.schema)}.${quote(pattern.tablePattern)}`);
  return [...new Set(names)].sort();
}
