import type { OperationOutcome, UploadManyResponse, UploadResponse } from '@cr/connector-kit/contract';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestEngine, testEngine, uuid } from './helpers.ts';
import { MEMBERS } from './workshop.ts';

/**
 * Property: uploading client transactions in the multi form, split into requests anywhere and
 * with any request's suffix redelivered, gives the same outcomes and the same rows as sending
 * each transaction alone in the single form — with rejections (below the minimum), conflicts
 * (stale versions) and operations Postgres refuses (a duplicate label) among them.
 *
 * `FUZZ_RUNS=500 npx vitest run test/multi-equivalence.pg.test.ts` in packages/upload-engine for
 * a longer run; a failure prints its seed (`FUZZ_SEED=…`).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

let t: TestEngine;
beforeAll(async () => {
  t = await testEngine({ maxOperations: 1000 });
});
afterAll(() => t?.close());

const counter = fc.record({
  kind: fc.constant('counter' as const),
  row: fc.integer({ min: 0, max: 2 }),
  label: fc.integer({ min: 0, max: 2 }),
  from: fc.integer({ min: 0, max: 4 }),
  to: fc.integer({ min: 0, max: 4 }),
  put: fc.boolean(),
});
const note = fc.record({
  kind: fc.constant('note' as const),
  row: fc.integer({ min: 0, max: 1 }),
  version: fc.integer({ min: 1, max: 4 }),
  put: fc.boolean(),
});
type Op =
  | { kind: 'counter'; row: number; label: number; from: number; to: number; put: boolean }
  | {
      kind: 'note';
      row: number;
      version: number;
      put: boolean;
    };
const transactions = fc.array(fc.array(fc.oneof(counter, note), { minLength: 1, maxLength: 3 }), {
  minLength: 1,
  maxLength: 10,
});
const plan = transactions.chain((txs) =>
  fc.record({
    txs: fc.constant(txs),
    // Where requests end, and for each request which suffix of it (if any) is sent again.
    cuts: fc.uniqueArray(fc.integer({ min: 1, max: txs.length }), { maxLength: txs.length }),
    redeliver: fc.array(fc.option(fc.nat(), { nil: null }), { minLength: txs.length, maxLength: txs.length }),
  }),
);

function entries(txs: Op[][]): Record<string, unknown>[][] {
  let opId = 0;
  return txs.map((ops, tx) =>
    ops.map((op) => {
      opId += 1;
      const base = { op_id: opId, tx_id: tx + 1 };
      if (op.kind === 'counter') {
        const id = uuid(100 + op.row);
        return op.put
          ? { ...base, op: 'PUT', type: 'counters', id, data: { label: `L${op.label}`, value: op.to } }
          : { ...base, op: 'PATCH', type: 'counters', id, data: { value: op.to }, old: { value: op.from } };
      }
      const id = uuid(200 + op.row);
      return op.put
        ? { ...base, op: 'PUT', type: 'notes', id, data: { title: `Note ${op.row}`, version: 1 } }
        : {
            ...base,
            op: 'PATCH',
            type: 'notes',
            id,
            data: { body: `v${op.version}`, version: op.version + 1 },
            old: { version: op.version },
          };
    }),
  );
}

async function reset(): Promise<void> {
  await t.sql('TRUNCATE counters, notes, applied_operations, rejections, write_conflicts, field_changes, deleted_rows');
}

async function state() {
  const counters = await t.sql('SELECT id, label, value FROM counters ORDER BY id');
  const notes = await t.sql('SELECT id, title, body, version FROM notes ORDER BY id');
  const rejections = await t.sql('SELECT op_id, code FROM rejections ORDER BY op_id, code');
  const conflicts = await t.sql('SELECT op_id, code FROM write_conflicts ORDER BY op_id');
  return { counters, notes, rejections, conflicts };
}

/** Outcomes without the ids of recorded conflicts (new random ids on each side). */
const comparable = (outcomes: OperationOutcome[]) => outcomes.map(({ conflict_id: _c, ...rest }) => rest);

describe('the multi form is the single form, sent many at a time', () => {
  it(
    'same outcomes and rows, however the transactions are split and redelivered',
    async () => {
      await fc.assert(
        fc.asyncProperty(plan, async ({ txs, cuts, redeliver }) => {
          const sent = entries(txs);
          await reset();
          const alone: OperationOutcome[][] = [];
          for (const batch of sent) {
            const answer = await t.handler.handle({ actor: MEMBERS.mia, body: { client_id: 'eq', batch } });
            expect(answer.status).toBe(200);
            alone.push((answer.body as UploadResponse).outcomes);
          }
          const expected = await state();

          await reset();
          const together: OperationOutcome[][] = [];
          const ends = [...new Set([...cuts, sent.length])].sort((a, b) => a - b);
          let start = 0;
          for (const end of ends) {
            const request = sent.slice(start, end).map((batch) => ({ batch }));
            const answer = await t.handler.handle({
              actor: MEMBERS.mia,
              body: { client_id: 'eq', transactions: request },
            });
            expect(answer.status).toBe(200);
            const body = answer.body as UploadManyResponse;
            expect(body.stopped).toBeUndefined();
            together.push(...body.transactions.map((tx) => tx.outcomes));
            const again = redeliver[start];
            if (again !== null && again !== undefined) {
              const from = again % request.length;
              const repeat = await t.handler.handle({
                actor: MEMBERS.mia,
                body: { client_id: 'eq', transactions: request.slice(from) },
              });
              expect((repeat.body as UploadManyResponse).transactions).toEqual(body.transactions.slice(from));
            }
            start = end;
          }
          expect(together.map(comparable)).toEqual(alone.map(comparable));
          expect(await state()).toEqual(expected);
        }),
        { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}) },
      );
    },
    60_000 + RUNS * 3000,
  );
});
