/**
 * What keeps the sync service from replicating, said so an operator can fix it: a stable code,
 * what is wrong, and the exact statement (or setting) that fixes it. Built by the up-front checks
 * (source-check.ts) and from Postgres errors that the checks could not foresee.
 */
export const SourceProblemCode = {
  walLevel: 'WAL_LEVEL_NOT_LOGICAL',
  replicationRole: 'ROLE_CANNOT_REPLICATE',
  /** The official service's code for a missing publication. */
  publicationMissing: 'PSYNC_S1141',
  /** The official service's code for a publication that leaves out some changes. */
  publicationIncomplete: 'PSYNC_S1142',
  publicationIncludesStorage: 'PUBLICATION_INCLUDES_STORAGE',
  tablesNotReadable: 'TABLES_NOT_READABLE',
  noReplicationSlot: 'NO_FREE_REPLICATION_SLOT',
  noWalSender: 'NO_FREE_WAL_SENDER',
  storageSchema: 'STORAGE_SCHEMA_NOT_CREATABLE',
} as const;

export type SourceProblemCode = (typeof SourceProblemCode)[keyof typeof SourceProblemCode];

export interface SourceProblem {
  code: SourceProblemCode;
  /** What is wrong, in one sentence. */
  message: string;
  /** What to run, and as whom. */
  fix: string;
}

/** Thrown when replication cannot run until an operator changes something in Postgres. */
export class SourceSetupError extends Error {
  constructor(readonly problems: SourceProblem[]) {
    super(problems.map((p) => `${p.message} Fix: ${p.fix}`).join(' '));
    this.name = 'SourceSetupError';
  }
}

/** Names as they are written in SQL (already quoted with Postgres's own `quote_ident`). */
export interface SourceIdentity {
  role: string;
  database: string;
}

const RESTART = 'then restart Postgres';

/** A setting raised enough for one more user (10 is Postgres's default for both). */
function raised(max: number | null): string {
  return max === null ? '<more than now>' : String(Math.max(max + 1, 10));
}

export const problems = {
  /** `current` null: not known (from an error message). */
  walLevel: (current: string | null): SourceProblem => ({
    code: SourceProblemCode.walLevel,
    message: `Postgres runs with wal_level = ${current ?? 'replica or minimal'}; logical replication needs wal_level = logical.`,
    fix:
      `as a superuser, ALTER SYSTEM SET wal_level = logical; ${RESTART} ` +
      '(managed Postgres: turn on logical replication in the server settings, e.g. rds.logical_replication = 1 on Amazon RDS).',
  }),
  replicationRole: ({ role }: SourceIdentity): SourceProblem => ({
    code: SourceProblemCode.replicationRole,
    message:
      `Role ${role} may not replicate: it has neither the REPLICATION attribute nor superuser, ` +
      'so it can neither create a replication slot nor stream changes.',
    fix: `as a superuser, ALTER ROLE ${role} WITH REPLICATION; (Amazon RDS: GRANT rds_replication TO ${role};)`,
  }),
  publicationMissing: (publication: string, tables: readonly string[]): SourceProblem => ({
    code: SourceProblemCode.publicationMissing,
    message: `Publication ${publication} does not exist in this database.`,
    fix:
      'run the migrations (npm start does), or as the owner of the tables, ' +
      `CREATE PUBLICATION ${publication} FOR TABLE ${tables.length ? tables.join(', ') : '<the synced tables>'};`,
  }),
  publicationIncomplete: (publication: string, missing: readonly string[]): SourceProblem => ({
    code: SourceProblemCode.publicationIncomplete,
    message: `Publication ${publication} does not publish ${missing.join(', ')}: those changes would never reach clients.`,
    fix: `ALTER PUBLICATION ${publication} SET (publish = 'insert, update, delete, truncate');`,
  }),
  publicationIncludesStorage: (publication: string, schema: string, tables: readonly string[]): SourceProblem => ({
    code: SourceProblemCode.publicationIncludesStorage,
    message:
      `Publication ${publication} includes the sync service's storage schema ${schema} ` +
      '(FOR ALL TABLES or FOR TABLES IN SCHEMA): storage writes would replicate into themselves.',
    fix: `list the synced tables explicitly: DROP PUBLICATION ${publication}; CREATE PUBLICATION ${publication} FOR TABLE ${tables.join(', ')};`,
  }),
  tablesNotReadable: ({ role }: SourceIdentity, tables: readonly string[]): SourceProblem => ({
    code: SourceProblemCode.tablesNotReadable,
    message: `Role ${role} cannot read the published tables ${tables.join(', ')}, so it cannot copy them.`,
    fix: `as their owner, GRANT SELECT ON ${tables.join(', ')} TO ${role};`,
  }),
  /** `max` null: not known (from an error message). */
  noReplicationSlot: (max: number | null, idle: readonly string[]): SourceProblem => ({
    code: SourceProblemCode.noReplicationSlot,
    message:
      max === 0
        ? 'Postgres runs with max_replication_slots = 0; the sync service needs one slot.'
        : `Every replication slot is taken (max_replication_slots${max === null ? '' : ` = ${max}`}); the sync service needs one.`,
    fix: [
      ...(idle.length
        ? [
            `drop a slot nobody uses (inactive now: ${idle.join(', ')}) with SELECT pg_drop_replication_slot('<name>'); or`,
          ]
        : []),
      `as a superuser, ALTER SYSTEM SET max_replication_slots = ${raised(max)}; ${RESTART}.`,
    ].join(' '),
  }),
  noWalSender: (max: number | null): SourceProblem => ({
    code: SourceProblemCode.noWalSender,
    message:
      max === 0
        ? 'Postgres runs with max_wal_senders = 0; streaming changes needs one WAL sender.'
        : `Every WAL sender is busy (max_wal_senders${max === null ? '' : ` = ${max}`}); streaming changes needs one.`,
    fix: `as a superuser, ALTER SYSTEM SET max_wal_senders = ${raised(max)}; ${RESTART}.`,
  }),
  storageSchema: ({ role, database }: SourceIdentity, schema: string): SourceProblem => ({
    code: SourceProblemCode.storageSchema,
    message: `Role ${role} cannot create the sync service's storage schema ${schema} in database ${database}.`,
    fix: `as the database owner or a superuser, GRANT CREATE ON DATABASE ${database} TO ${role};`,
  }),
};

interface PgError {
  code?: string;
  message?: string;
}

const UNKNOWN: SourceIdentity = { role: '<role>', database: '<database>' };

/**
 * A Postgres error from a replication attempt, as a problem an operator must fix, or null when it
 * is something a retry may cure (connection lost, Postgres restarting). The up-front checks catch
 * these first; this covers servers whose rules they did not foresee. (A missing publication is
 * not read from errors: the check finds it, and pgoutput also says "does not exist" when the slot
 * replays changes from before the publication was created.)
 */
export function problemFromError(error: unknown, who: SourceIdentity | null): SourceProblem | null {
  const { code, message = '' } = (error ?? {}) as PgError;
  if (code === '42501' && /replication|wal sender|walsender/i.test(message)) {
    return problems.replicationRole(who ?? UNKNOWN);
  }
  if (code === '55000' && /wal_level/i.test(message)) {
    return problems.walLevel(null);
  }
  if (code === '53400' && /replication slots/i.test(message)) return problems.noReplicationSlot(null, []);
  if (code === '53300' && /max_wal_senders/i.test(message)) {
    const current = /currently (\d+)/.exec(message)?.[1];
    return problems.noWalSender(current === undefined ? null : Number(current));
  }
  return null;
}
