import { randomUUID } from 'node:crypto';
import type { RawCrudEntry } from '@cr/strategies';
import { FieldChangeWorker } from '@cr/upload-engine';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveDemoAuthors } from '../../src/plugins/app/authors.ts';
import { rawBody, rawText, type TestApp, testApp } from '../helpers.ts';
import { type MultiUpload, RAW_FRAGMENTS, run, type Upload } from './arbitraries.ts';
import {
  changedSince,
  expectOnlyAcceptedChanged,
  expectOwnOutcomes,
  expectRulesKept,
  mark,
  type Outcome,
} from './invariants.ts';

/**
 * The upload API under random batches of valid and hostile operations, from random users, with
 * redeliveries and client ids reused across users, against real Postgres through app.inject().
 * Requests come in both forms: single (`{ client_id, batch }`) and multi (`{ client_id,
 * transactions }`: up to five client transactions, sometimes one made only of hostile
 * operations); in a "session" run every request comes from one user and client, the two forms
 * mixed, as from a connector that was upgraded while it had a queue.
 *
 * Properties, checked on every request:
 * 1. the answer is never a 5xx (the database is up): 200, or 400 / 403 (413 for a multi request
 *    the hostile values make too large) for a request that cannot be accepted;
 * 2. a 200 has exactly one outcome per operation, in order, each naming the operation's own
 *    table and id (never another user's: no outcome is taken from someone else's ledger); in the
 *    multi form every transaction is done (nothing stops a request while the database is up);
 * 3. a refused request changes nothing, and rejected operations change nothing: every row that
 *    changed was the target of an accepted operation (or is the record of a rejection or a
 *    conflict made by this request); every rejected operation has its `rejections` record;
 * 4. a redelivery (single: the same request; multi: the whole request or a suffix of its
 *    transactions) gets the same answers and changes nothing;
 * 5. stock is never negative;
 * and after all of them, 6. the field-change worker settles every pending change (none is left
 * stuck behind another user's data) and reports no error.
 *
 * `npm test` runs a short, bounded fuzz. Longer: `FUZZ_RUNS=2000 npx vitest run test/fuzz` in
 * apps/api; replay a failure with the seed (and path) fast-check prints: `FUZZ_SEED=… FUZZ_PATH=…`.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const PATH = process.env.FUZZ_PATH;

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ startWorker: false });
});
afterAll(() => t.close());

const opIds = new Map<string, number>();
const txIds = new Map<string, number>();

/** The entries of one client transaction as the client would number them (increasing per user and client). */
function number(user: string, client: string, raw: readonly Record<string, unknown>[], repeatAt: number | null) {
  const key = `${user}\u0000${client}`;
  let next = opIds.get(key) ?? 0;
  const tx = (txIds.get(key) ?? 0) + 1;
  txIds.set(key, tx);
  const entries = raw.map((e) => ({ ...e, op_id: ++next, tx_id: tx }) as RawCrudEntry);
  opIds.set(key, next);
  if (repeatAt !== null && repeatAt < entries.length)
    (entries[repeatAt] as RawCrudEntry).op_id = (entries[repeatAt - 1] as RawCrudEntry).op_id;
  return entries;
}

async function check(u: Upload): Promise<void> {
  const entries = number(u.user, u.client, u.entries, u.repeatOpIdAt);
  const text = rawBody(u.client, entries, RAW_FRAGMENTS);
  const sent = (JSON.parse(text) as { batch: RawCrudEntry[] }).batch; // what the server reads
  const before = await mark(t);
  const answer = await t.uploadText(u.user, text);

  // 1. Never a 5xx.
  expect([200, 400, 403], JSON.stringify(answer.body).slice(0, 300)).toContain(answer.status);
  if (answer.status !== 200) {
    expect([...(await changedSince(t, before)).keys()]).toEqual([]); // 3. a refused request changes nothing
    return;
  }
  // 2. One outcome per operation, each about that operation.
  const outcomes = answer.body.outcomes as Outcome[];
  expectOwnOutcomes(t, sent, outcomes);
  // 3. Only what accepted operations target changed; rejections and conflicts are new records.
  await expectOnlyAcceptedChanged(t, u, before, outcomes);
  // 4. A redelivery: the same answer, nothing changes.
  if (u.redeliver) {
    const again = await mark(t);
    expect(await t.uploadText(u.user, text)).toEqual(answer);
    expect([...(await changedSince(t, again)).keys()]).toEqual([]);
  }
}

type ManyAnswer = { status: number; body: { transactions?: { outcomes: Outcome[] }[]; stopped?: unknown } };

/** The multi form: the same properties per transaction, all done (the database is up), and redeliveries. */
async function checkMany(m: MultiUpload): Promise<void> {
  const transactions = m.transactions.map((raw, i) => number(m.user, m.client, raw, i === 0 ? m.repeatOpIdAt : null));
  const body = (txs: RawCrudEntry[][]) =>
    rawText(
      { client_id: m.client, transactions: txs.map((batch) => ({ tx_id: batch[0]?.tx_id ?? null, batch })) },
      RAW_FRAGMENTS,
    );
  const text = body(transactions);
  const sent = (JSON.parse(text) as { transactions: { batch: RawCrudEntry[] }[] }).transactions.map((x) => x.batch);
  const before = await mark(t);
  const answer = (await t.uploadText(m.user, text)) as ManyAnswer;

  // 1. Never a 5xx; 413 when the hostile values make the body too large.
  expect([200, 400, 403, 413], JSON.stringify(answer.body).slice(0, 300)).toContain(answer.status);
  if (answer.status !== 200) {
    expect([...(await changedSince(t, before)).keys()]).toEqual([]);
    return;
  }
  // 2. Every transaction done (nothing stopped it), one outcome per operation, each about itself.
  expect(answer.body.stopped).toBeUndefined();
  const done = answer.body.transactions ?? [];
  expect(done).toHaveLength(sent.length);
  for (const [i, batch] of sent.entries()) expectOwnOutcomes(t, batch, done[i]?.outcomes ?? []);
  // 3. Only what accepted operations of the request target changed.
  await expectOnlyAcceptedChanged(
    t,
    m,
    before,
    done.flatMap((tx) => tx.outcomes),
  );
  // 4. Redelivered whole, or from a transaction on: the same answers, nothing changes.
  if (m.redeliver === 'none') return;
  const from = m.redeliver === 'whole' ? 0 : m.suffixFrom % sent.length;
  const again = await mark(t);
  const replay = (await t.uploadText(m.user, body(transactions.slice(from)))) as ManyAnswer;
  expect(replay).toEqual({ status: 200, body: { transactions: done.slice(from) } });
  expect([...(await changedSince(t, again)).keys()]).toEqual([]);
}

describe('upload fuzz: hostile and odd input, random users, redeliveries, reused client ids', () => {
  it(
    'never answers 5xx, answers each operation once and only about itself, changes nothing it rejects',
    async () => {
      await fc.assert(
        fc.asyncProperty(run, async (requests) => {
          for (const r of requests) {
            if (r.form === 'multi') await checkMany(r);
            else await check(r);
            await expectRulesKept(t);
          }
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
