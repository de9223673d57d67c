import { randomUUID } from 'node:crypto';
import { storableText } from '@cr/schema';
import type { RawCrudEntry } from '@cr/strategies';
import { claimOf, FieldChangeWorker } from '@cr/upload-engine';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveDemoAuthors } from '../../src/plugins/app/authors.ts';
import { rawBody, type TestApp, testApp } from '../helpers.ts';
import { RAW_FRAGMENTS, type Upload, upload } from './arbitraries.ts';

/**
 * The upload API under random batches of valid and hostile operations, from random users, with
 * redeliveries and client ids reused across users, against real Postgres through app.inject().
 *
 * Properties, checked on every upload:
 * 1. the answer is never a 5xx (the database is up): 200, or 400 / 403 for a request that cannot
 *    be attributed;
 * 2. a 200 has exactly one outcome per operation, in order, each naming the operation's own
 *    table and id (never another user's: no outcome is taken from someone else's ledger);
 * 3. a refused request changes nothing, and rejected operations change nothing: every row that
 *    changed was the target of an accepted operation (or is the record of a rejection or a
 *    conflict made by this upload);
 * 4. a redelivery gets the same answer and changes nothing;
 * and after all of them, 5. the field-change worker settles every pending change (none is left
 * stuck behind another user's data) and reports no error.
 *
 * `npm test` runs a short, bounded fuzz. Longer: `FUZZ_RUNS=2000 npx vitest run test/fuzz` in
 * apps/api; replay a failure with the seed (and path) fast-check prints: `FUZZ_SEED=… FUZZ_PATH=…`.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const PATH = process.env.FUZZ_PATH;

const TABLES = [
  'tasks',
  'documents',
  'patients',
  'inventory',
  'orders',
  'write_conflicts',
  'field_changes',
  'rejections',
];

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ startWorker: false });
});
afterAll(() => t.close());

/**
 * A mark to compare against: the transaction id before an upload and the keys of every row of
 * every client-visible table. Rows written since carry a later xmin; deleted ones are missing
 * keys. (Cheaper than comparing every row, so long runs stay linear.)
 */
interface Mark {
  xid: number;
  keys: Set<string>;
}

async function mark(): Promise<Mark> {
  const [{ xid } = { xid: '0' }] = await t.sql<{ xid: string }>(
    `SELECT (pg_current_xact_id()::text::bigint % 4294967296)::text AS xid`,
  );
  const rows = await t.sql<{ k: string }>(
    TABLES.map((table) => `SELECT '${table}:' || id::text AS k FROM ${table}`).join(' UNION ALL '),
  );
  return { xid: Number(xid), keys: new Set(rows.map((r) => r.k)) };
}

/** `table:id` of every row written or deleted since `since`, with the new content of written ones. */
async function changedSince(since: Mark): Promise<Map<string, Record<string, unknown> | null>> {
  const now = await mark();
  const written = await t.sql<{ k: string; r: Record<string, unknown> }>(
    TABLES.map(
      (table) =>
        `SELECT '${table}:' || id::text AS k, row_to_json(x) AS r FROM ${table} x WHERE xmin::text::bigint > $1`,
    ).join(' UNION ALL '),
    [since.xid],
  );
  const changed = new Map<string, Record<string, unknown> | null>(written.map((w) => [w.k, w.r]));
  for (const key of since.keys) if (!now.keys.has(key)) changed.set(key, null);
  return changed;
}

const opIds = new Map<string, number>();

/** The entries as the client would number them (increasing per user and client). */
function number(u: Upload): RawCrudEntry[] {
  const key = `${u.user}\u0000${u.client}`;
  let next = opIds.get(key) ?? 0;
  const entries = u.entries.map((e) => ({ ...e, op_id: ++next, tx_id: 1 }) as RawCrudEntry);
  opIds.set(key, next);
  const at = u.repeatOpIdAt;
  if (at !== null && at < entries.length) (entries[at] as RawCrudEntry).op_id = (entries[at - 1] as RawCrudEntry).op_id;
  return entries;
}

interface Outcome {
  op_id: number;
  table: string;
  id: string;
  status: string;
  code?: string;
  conflict_id?: string;
}

async function check(u: Upload): Promise<void> {
  const entries = number(u);
  const text = rawBody(u.client, entries, RAW_FRAGMENTS);
  const sent = (JSON.parse(text) as { batch: RawCrudEntry[] }).batch; // what the server reads
  const conflictsBefore = new Map(
    (
      await t.sql<{ id: string; table_name: string; row_id: string }>(
        `SELECT id, table_name, row_id FROM write_conflicts`,
      )
    ).map((c) => [c.id, `${c.table_name}:${c.row_id}`]),
  );
  const before = await mark();
  const answer = await t.uploadText(u.user, text);
  const changed = await changedSince(before);

  // 1. Never a 5xx.
  expect([200, 400, 403], JSON.stringify(answer.body).slice(0, 300)).toContain(answer.status);
  if (answer.status !== 200) {
    expect([...changed.keys()]).toEqual([]); // 3. a refused request changes nothing
    return;
  }
  // 2. One outcome per operation, each about that operation.
  const outcomes = answer.body.outcomes as Outcome[];
  expect(outcomes).toHaveLength(sent.length);
  outcomes.forEach((outcome, i) => {
    const claim = claimOf(t.app.uploads.engine, sent[i] as RawCrudEntry);
    expect({ op_id: outcome.op_id, table: outcome.table, id: outcome.id }).toEqual({
      op_id: (sent[i] as RawCrudEntry).op_id,
      table: storableText(claim.table, 200),
      id: storableText(claim.id, 200),
    });
  });
  // 3. Only what accepted operations target changed; rejections and conflicts are new records.
  const allowed = new Set<string>();
  for (const o of outcomes) {
    if (o.status === 'applied' || o.status === 'merged') {
      allowed.add(`${o.table}:${o.id}`);
      const target = o.table === 'write_conflicts' ? conflictsBefore.get(o.id) : undefined;
      if (target) allowed.add(target);
    }
    if (o.conflict_id) allowed.add(`write_conflicts:${o.conflict_id}`);
    if (o.code === 'STALE_RESOLUTION') allowed.add(`write_conflicts:${o.id}`); // refreshed server values
  }
  for (const [key, row] of changed) {
    if (allowed.has(key)) continue;
    if (key.startsWith('rejections:') && row !== null && !before.keys.has(key)) {
      expect(row).toMatchObject({ user_id: u.user, client_id: u.client });
      continue;
    }
    throw new Error(`${key} changed, but no accepted operation of this upload targets it: ${JSON.stringify(outcomes)}`);
  }
  // 4. A redelivery: the same answer, nothing changes.
  if (u.redeliver) {
    const again = await mark();
    expect(await t.uploadText(u.user, text)).toEqual(answer);
    expect([...(await changedSince(again)).keys()]).toEqual([]);
  }
}

describe('upload fuzz: hostile and odd input, random users, redeliveries, reused client ids', () => {
  it(
    'never answers 5xx, answers each operation once and only about itself, changes nothing it rejects',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(upload, { minLength: 1, maxLength: 4 }), async (uploads) => {
          for (const u of uploads) await check(u);
        }),
        {
          numRuns: RUNS,
          ...(SEED !== undefined ? { seed: SEED } : {}),
          ...(PATH ? { path: PATH } : {}),
          endOnFailure: true,
        },
      );
      // No ledger row answers for a client id bound to someone else.
      expect(
        await t.sql(`SELECT a.user_id, a.client_id FROM applied_operations a
                       JOIN api_clients c USING (client_id) WHERE c.user_id <> a.user_id`),
      ).toEqual([]);
    },
    Math.max(60_000, RUNS * 2_000),
  );

  it('leaves nothing stuck for the field-change worker: every change settles, a canary applies', async () => {
    const canary = randomUUID();
    const canaryValue = `Canary ${canary.slice(0, 8)}`;
    const result = await t.upload('alice', `fuzz-canary-${canary}`, [
      {
        op_id: 1,
        op: 'PUT',
        type: 'field_changes',
        id: canary,
        data: {
          table_name: 'tasks',
          row_id: '10000000-0000-4000-8000-000000000003',
          field_name: 'description',
          new_value: JSON.stringify(canaryValue),
          status: 'pending',
        },
      },
    ]);
    expect(result.body.outcomes[0]?.status).toBe('applied');
    const worker = new FieldChangeWorker(
      t.app.db,
      { info() {}, warn() {} },
      {
        engine: t.app.uploads.engine,
        resolveAuthors: resolveDemoAuthors,
        sweepMs: 60_000,
      },
    );
    await worker.drain();
    expect(worker.status.lastError).toBeNull();
    expect(await t.sql(`SELECT count(*)::int AS n FROM field_changes WHERE status = 'pending'`)).toEqual([{ n: 0 }]);
    expect(await t.sql(`SELECT status FROM field_changes WHERE id = $1`, [canary])).toEqual([{ status: 'applied' }]);
    expect(await t.sql(`SELECT description FROM tasks WHERE id = '10000000-0000-4000-8000-000000000003'`)).toEqual([
      { description: canaryValue },
    ]);
  });
});
