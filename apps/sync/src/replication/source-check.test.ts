import { describe, expect, it } from 'vitest';
import { diagnose, type PublicationFacts, type ServerFacts } from './source-check.ts';
import { problemFromError } from './source-problems.ts';

/** What the catalogs say about a server, and the problems (with fixes) read from it. */
const healthy: ServerFacts = {
  role: 'app',
  database: 'appdb',
  wal_level: 'logical',
  max_slots: 10,
  max_senders: 10,
  can_replicate: true,
  slots_used: 0,
  own_slots: 0,
  idle_slots: [],
  senders_used: 0,
  own_senders: 0,
};
const publication: PublicationFacts = {
  includes_storage: false,
  pubinsert: true,
  pubupdate: true,
  pubdelete: true,
  pubtruncate: true,
  unreadable: [],
};
const options = {
  publication: 'powersync',
  storageSchema: 'powersync_storage',
  tables: () => ['public.tasks', 'public.users'],
};

function check(server: Partial<ServerFacts>, pub: Partial<PublicationFacts> | null = {}) {
  return diagnose({ ...healthy, ...server }, pub && { ...publication, ...pub }, options).problems;
}

describe('diagnose', () => {
  it('finds nothing wrong with a server set up for replication', () => {
    expect(check({})).toEqual([]);
  });

  it.each([
    [{ wal_level: 'replica' }, 'WAL_LEVEL_NOT_LOGICAL', 'wal_level = replica', 'ALTER SYSTEM SET wal_level = logical;'],
    [
      { can_replicate: false },
      'ROLE_CANNOT_REPLICATE',
      'Role app may not replicate',
      'ALTER ROLE app WITH REPLICATION;',
    ],
    [
      { max_slots: 2, slots_used: 2, idle_slots: ["'old'"] },
      'NO_FREE_REPLICATION_SLOT',
      'Every replication slot is taken (max_replication_slots = 2)',
      "inactive now: 'old') with SELECT pg_drop_replication_slot('<name>'); or as a superuser, ALTER SYSTEM SET max_replication_slots = 10;",
    ],
    [{ max_slots: 0 }, 'NO_FREE_REPLICATION_SLOT', 'max_replication_slots = 0', 'max_replication_slots = 10;'],
    [{ max_senders: 0 }, 'NO_FREE_WAL_SENDER', 'max_wal_senders = 0', 'ALTER SYSTEM SET max_wal_senders = 10;'],
    [
      { max_senders: 12, senders_used: 12 },
      'NO_FREE_WAL_SENDER',
      'Every WAL sender is busy (max_wal_senders = 12)',
      'max_wal_senders = 13;',
    ],
  ])('server %j: %s', (server, code, message, fix) => {
    const [problem, ...others] = check(server);
    expect(others).toEqual([]);
    expect(problem?.code).toBe(code);
    expect(problem?.message).toContain(message);
    expect(problem?.fix).toContain(fix);
  });

  it('needs no free slot or WAL sender for one of its own', () => {
    expect(
      check({ max_slots: 1, slots_used: 1, own_slots: 1, max_senders: 1, senders_used: 1, own_senders: 1 }),
    ).toEqual([]);
  });

  it('reports every problem at once', () => {
    const codes = check({ wal_level: 'minimal', can_replicate: false }, null).map((p) => p.code);
    expect(codes).toEqual(['WAL_LEVEL_NOT_LOGICAL', 'ROLE_CANNOT_REPLICATE', 'PSYNC_S1141']);
  });

  it.each([
    [null, 'PSYNC_S1141', 'CREATE PUBLICATION powersync FOR TABLE public.tasks, public.users;'],
    [{ pubupdate: false, pubtruncate: false }, 'PSYNC_S1142', "SET (publish = 'insert, update, delete, truncate');"],
    [
      { includes_storage: true },
      'PUBLICATION_INCLUDES_STORAGE',
      'DROP PUBLICATION powersync; CREATE PUBLICATION powersync FOR TABLE public.tasks, public.users;',
    ],
    [{ unreadable: ['public.tasks'] }, 'TABLES_NOT_READABLE', 'GRANT SELECT ON public.tasks TO app;'],
  ])('publication %j: %s', (pub, code, fix) => {
    const [problem, ...others] = check({}, pub);
    expect(others).toEqual([]);
    expect(problem?.code).toBe(code);
    expect(problem?.fix).toContain(fix);
  });
});

describe('problemFromError (the words of Postgres 15 and 18)', () => {
  const who = { role: 'app', database: 'appdb' };
  it.each([
    ['42501', 'must be superuser or replication role to use replication slots', 'ROLE_CANNOT_REPLICATE'],
    ['42501', 'must be superuser or replication role to start walsender', 'ROLE_CANNOT_REPLICATE'],
    ['42501', 'permission denied to use replication slots', 'ROLE_CANNOT_REPLICATE'],
    ['42501', 'permission denied to start WAL sender', 'ROLE_CANNOT_REPLICATE'],
    ['55000', 'logical decoding requires "wal_level" >= "logical"', 'WAL_LEVEL_NOT_LOGICAL'],
    ['55000', 'logical decoding requires wal_level >= logical', 'WAL_LEVEL_NOT_LOGICAL'],
    ['53400', 'all replication slots are in use', 'NO_FREE_REPLICATION_SLOT'],
    ['53300', 'number of requested standby connections exceeds "max_wal_senders" (currently 4)', 'NO_FREE_WAL_SENDER'],
  ])('%s %s', (code, message, expected) => {
    expect(problemFromError(Object.assign(new Error(message), { code }), who)?.code).toBe(expected);
  });

  it('names the fix with the role it knows', () => {
    const error = Object.assign(new Error('permission denied to use replication slots'), { code: '42501' });
    expect(problemFromError(error, who)?.fix).toContain('ALTER ROLE app WITH REPLICATION;');
    const senders = Object.assign(new Error('exceeds "max_wal_senders" (currently 4)'), { code: '53300' });
    expect(problemFromError(senders, who)?.fix).toContain('max_wal_senders = 10;');
  });

  it.each([
    ['57P01', 'terminating connection due to administrator command'],
    ['08006', 'Connection terminated unexpectedly'],
    ['42501', 'permission denied for table tasks'],
    ['42704', 'publication "powersync" does not exist'],
  ])('leaves %s %s to a retry', (code, message) => {
    expect(problemFromError(Object.assign(new Error(message), { code }), who)).toBeNull();
  });
});
