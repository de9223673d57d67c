import { migrate, seedIfEmpty } from '@cr/db';
import { createOwnedDatabase, type OwnedDatabase } from '@cr/db/testing';
import { infraPaths } from '@cr/infra';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type SyncHarness, startSync } from '../../test/sync-harness.ts';
import { waitFor } from '../../test/wait-for.ts';
import { buildApp } from '../app.ts';
import { silentLogger } from '../log.ts';
import type { SourceProblem } from './source-problems.ts';

/**
 * An external Postgres as people get one: a database owned by a plain role (no REPLICATION), which
 * ran the migrations itself. The service must say what is missing and how to fix it, through
 * readiness, and start replicating by itself once the fix is applied.
 */
let owned: OwnedDatabase;
let sync: SyncHarness | null = null;

beforeAll(async () => {
  owned = await createOwnedDatabase(inject('pgCluster'));
  await migrate(owned.url, infraPaths.migrations);
  await seedIfEmpty(owned.url, infraPaths.seed);
});
afterAll(async () => {
  await sync?.close();
  await owned?.drop();
});

interface Readiness {
  status: number;
  body: { ready: boolean; phase?: string; problems?: SourceProblem[] };
}

async function readiness(): Promise<Readiness> {
  if (!sync) throw new Error('no service');
  const response = await sync.app.inject('/probes/readiness');
  return { status: response.statusCode, body: response.json() };
}

/** Waits for readiness to name problems, and returns them. */
async function reportedProblems(): Promise<SourceProblem[]> {
  const answer = await waitFor(
    async () => {
      const state = await readiness();
      return state.body.problems?.length ? state : null;
    },
    { message: 'readiness to report a problem' },
  );
  expect(answer.status).toBe(503);
  return answer.body.problems ?? [];
}

/** The statement a fix names, run verbatim as the operator would. */
function statementOf(problem: SourceProblem | undefined, pattern: RegExp): string {
  const statement = pattern.exec(problem?.fix ?? '')?.[0];
  if (!statement) throw new Error(`no ${pattern} in ${JSON.stringify(problem)}`);
  return statement;
}

async function waitUntilReady(): Promise<void> {
  await waitFor(async () => (await readiness()).status === 200, { message: 'readiness', timeoutMs: 30_000 });
}

describe('a database owned by a plain role', () => {
  it('reports the missing REPLICATION attribute with its fix, and replicates once it is granted', async () => {
    sync = await startSync({ databaseUrl: owned.url });
    const problems = await reportedProblems();
    expect(problems.map((p) => p.code)).toEqual(['ROLE_CANNOT_REPLICATE']);
    expect(problems[0]?.message).toContain(`Role ${owned.role} may not replicate`);
    expect(problems[0]?.fix).toContain(`ALTER ROLE ${owned.role} WITH REPLICATION;`);
    const health = (await sync.app.inject('/health')).json() as { status: string };
    expect(health.status).toBe('blocked');
    // No slot was attempted: the check comes first.
    expect(sync.logs.filter((line) => line.includes('must be superuser or replication role'))).toEqual([]);

    await owned.asSuperuser(statementOf(problems[0], /ALTER ROLE \S+ WITH REPLICATION;/));
    await waitUntilReady();
    await sync.ready();
    const reported = sync.logs.filter((line) => line.includes('cannot replicate:'));
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatch(/ERROR .*Fix: as a superuser, ALTER ROLE \S+ WITH REPLICATION;/);
    expect(sync.logs.some((line) => line.includes('Postgres is set up for replication now'))).toBe(true);
  });

  it('reports a publication that leaves out changes or does not exist, with statements that fix it', async () => {
    if (!sync) throw new Error('runs after the first test');
    await sync.restart(() => owned.asSuperuser(`ALTER PUBLICATION powersync SET (publish = 'insert')`));
    const incomplete = await reportedProblems();
    expect(incomplete.map((p) => p.code)).toEqual(['PSYNC_S1142']);
    expect(incomplete[0]?.message).toContain('does not publish update, delete, truncate');

    await sync.restart(() => owned.asSuperuser('DROP PUBLICATION powersync'));
    const missing = await reportedProblems();
    expect(missing.map((p) => p.code)).toEqual(['PSYNC_S1141']);
    // The owner of the tables (our plain role) creates it with the statement given.
    const create = statementOf(missing[0], /CREATE PUBLICATION powersync FOR TABLE [^;]+;/);
    expect(create).toContain('public.tasks');
    await sync.sql.query(create);
    await waitUntilReady();
  });

  it('reports tables the role cannot read', async () => {
    if (!sync) throw new Error('runs after the first test');
    await sync.restart(() => owned.asSuperuser(`REVOKE SELECT ON public.orders FROM ${owned.role}`));
    const problems = await reportedProblems();
    expect(problems.map((p) => p.code)).toEqual(['TABLES_NOT_READABLE']);
    await owned.asSuperuser(statementOf(problems[0], /GRANT SELECT ON [^;]+;/));
    await waitUntilReady();
  });

  it('refuses to start, with the grant to run, when the role may not create the storage schema', async () => {
    await owned.asSuperuser(`REVOKE CREATE ON DATABASE ${owned.database} FROM ${owned.role}`);
    try {
      await expect(
        buildApp({
          databaseUrl: owned.url,
          jwksUrl: 'http://127.0.0.1:9/keys',
          syncRulesPath: infraPaths.syncRules,
          storageSchema: 'another_storage',
          logger: silentLogger,
        }),
      ).rejects.toThrow(
        `Fix: as the database owner or a superuser, GRANT CREATE ON DATABASE ${owned.database} TO ${owned.role};`,
      );
    } finally {
      await owned.asSuperuser(`GRANT CREATE ON DATABASE ${owned.database} TO ${owned.role}`);
    }
  });
});
