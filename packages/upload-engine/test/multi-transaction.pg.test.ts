import type { UploadManyResponse } from '@cr/connector-kit/contract';
import type { Actor } from '@cr/strategies';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GROUP_OPERATIONS } from '../src/apply/apply-many.ts';
import type { UploadAnswer } from '../src/index.ts';
import { crud, type TestEngine, testEngine, uuid } from './helpers.ts';
import { MEMBERS } from './workshop.ts';

let t: TestEngine;
beforeAll(async () => {
  t = await testEngine({ maxOperations: 5000 });
  // A collision that keeps coming back for one row: a note titled "collide" cannot be written
  // while the switch is on (the deadlock Postgres would report, as often as it is tried).
  await t.sql(`CREATE TABLE collide_switch (on_ boolean NOT NULL);
    INSERT INTO collide_switch VALUES (true);
    CREATE FUNCTION collide() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.title = 'collide' AND (SELECT on_ FROM collide_switch) THEN
        RAISE EXCEPTION 'test collision' USING ERRCODE = 'deadlock_detected';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER notes_collide BEFORE INSERT OR UPDATE ON notes FOR EACH ROW EXECUTE FUNCTION collide();`);
});
afterAll(() => t?.close());

const { mia, max } = MEMBERS;
type Entry = ReturnType<ReturnType<typeof crud>['put']> & { data?: unknown };

function uploadMany(actor: Actor, clientId: string, transactions: Entry[][]): Promise<UploadAnswer> {
  return t.handler.handle({
    actor,
    body: { client_id: clientId, transactions: transactions.map((batch, i) => ({ tx_id: i + 1, batch })) },
  });
}

function many(answer: UploadAnswer): UploadManyResponse {
  expect(answer.status).toBe(200);
  return answer.body as UploadManyResponse;
}

const statuses = (body: UploadManyResponse) => body.transactions.map((tx) => tx.outcomes.map((o) => o.status));
const counter = async (n: number) =>
  (await t.sql<{ value: number }>('SELECT value FROM counters WHERE id = $1', [uuid(n)]))[0]?.value;
const setCollisions = (on: boolean) => t.sql('UPDATE collide_switch SET on_ = $1', [on]);

describe('multi-transaction uploads: several client transactions, each atomic, in order', () => {
  it('applies them in order (a later one sees the earlier ones) with outcomes per transaction', async () => {
    const c = crud();
    const body = many(
      await uploadMany(mia, 'multi-order', [
        [c.put('notes', uuid(1), { title: 'Plan', version: 1 })],
        [c.patch('notes', uuid(1), { body: 'Step 1', version: 2 }, { version: 1 })],
        [
          c.put('counters', uuid(2), { label: 'Cups', value: 10 }),
          c.patch('counters', uuid(2), { value: 7 }, { value: 10 }),
        ],
      ]),
    );
    expect(body.stopped).toBeUndefined();
    expect(statuses(body)).toEqual([['applied'], ['applied'], ['applied', 'applied']]);
    expect(body.transactions[2]?.outcomes.map((o) => o.op_id)).toEqual([3, 4]);
    expect(await t.sql('SELECT body, version FROM notes WHERE id = $1', [uuid(1)])).toEqual([
      { body: 'Step 1', version: 2 },
    ]);
    expect(await counter(2)).toBe(7);
  });

  it('isolates an operation Postgres refuses: the other transactions, and its own others, apply', async () => {
    const c = crud();
    const body = many(
      await uploadMany(mia, 'multi-poison', [
        [c.put('counters', uuid(10), { label: 'Plates', value: 1 })],
        [
          c.put('counters', uuid(11), { label: 'Cups', value: 2 }),
          c.put('counters', uuid(12), { label: 'Bowls', value: 3 }),
        ],
        [c.put('counters', uuid(13), { label: 'Forks', value: 4 })],
      ]),
    );
    expect(body.stopped).toBeUndefined();
    expect(statuses(body)).toEqual([['applied'], ['rejected', 'applied'], ['applied']]);
    expect(body.transactions[1]?.outcomes[0]?.code).toBe('CONSTRAINT_VIOLATION');
    expect((await t.sql<{ label: string }>('SELECT label FROM counters ORDER BY label')).map((r) => r.label)).toEqual([
      'Bowls',
      'Cups',
      'Forks',
      'Plates',
    ]);
  });

  it('stops at a transaction whose fate is unknown: those before are done, it and the rest are not applied', async () => {
    const c = crud();
    await t.upload(mia, 'multi-setup', [crud().put('counters', uuid(20), { label: 'Spoons', value: 100 })]);
    const transactions = [
      [c.patch('counters', uuid(20), { value: 99 }, { value: 100 })],
      [c.patch('counters', uuid(20), { value: 98 }, { value: 99 })],
      // Atomic: its first operation is not applied when the second cannot be.
      [c.patch('counters', uuid(20), { value: 97 }, { value: 98 }), c.put('notes', uuid(21), { title: 'collide' })],
      [c.patch('counters', uuid(20), { value: 96 }, { value: 97 })],
    ];
    const body = many(await uploadMany(max, 'multi-stop', transactions));
    expect(statuses(body)).toEqual([['applied'], ['applied']]);
    expect(body.stopped?.code).toBe('DATABASE_UNAVAILABLE');
    expect(await counter(20)).toBe(98);
    expect(await t.sql('SELECT id FROM notes WHERE id = $1', [uuid(21)])).toEqual([]);

    // The client sends the rest again once the collision is gone; then the whole request again.
    await setCollisions(false);
    const suffix = many(await uploadMany(max, 'multi-stop', transactions.slice(2)));
    expect(suffix.stopped).toBeUndefined();
    expect(statuses(suffix)).toEqual([['applied', 'applied'], ['applied']]);
    expect(await counter(20)).toBe(96);
    const whole = many(await uploadMany(max, 'multi-stop', transactions));
    expect(whole.transactions).toEqual([...body.transactions, ...suffix.transactions]);
    const suffixAgain = many(await uploadMany(max, 'multi-stop', transactions.slice(1)));
    expect(suffixAgain.transactions).toEqual(whole.transactions.slice(1));
    expect(await counter(20)).toBe(96);
    expect(await t.sql('SELECT title FROM notes WHERE id = $1', [uuid(21)])).toEqual([{ title: 'collide' }]);
    await setCollisions(true);
  });

  it('answers 503 and applies nothing when the first transaction cannot be done', async () => {
    const c = crud();
    const answer = await uploadMany(max, 'multi-first', [
      [c.put('notes', uuid(30), { title: 'collide' })],
      [c.put('counters', uuid(31), { label: 'Knives', value: 1 })],
    ]);
    expect(answer).toMatchObject({ status: 503, body: { error: { code: 'DATABASE_UNAVAILABLE' } } });
    expect(await t.sql('SELECT id FROM counters WHERE id = $1', [uuid(31)])).toEqual([]);
  });

  it('stops exactly at the failing transaction beyond the first group of operations', async () => {
    const c = crud();
    await t.upload(mia, 'multi-setup-2', [crud().put('counters', uuid(40), { label: 'Mugs', value: 0 })]);
    const count = GROUP_OPERATIONS + 300;
    const failAt = GROUP_OPERATIONS + 100;
    const transactions = Array.from({ length: count }, (_, i) =>
      i === failAt
        ? [c.put('notes', uuid(41), { title: 'collide' })]
        : [c.patch('counters', uuid(40), { value: i + 1 }, { value: i })],
    );
    const body = many(await uploadMany(mia, 'multi-long', transactions));
    expect(body.transactions).toHaveLength(failAt);
    expect(body.transactions.filter((tx) => tx.outcomes[0]?.status !== 'applied')).toEqual([]);
    expect(await counter(40)).toBe(failAt);
    await setCollisions(false);
    const rest = many(await uploadMany(mia, 'multi-long', transactions.slice(failAt)));
    expect(rest.transactions).toHaveLength(count - failAt);
    expect(await counter(40)).toBe(count - 1);
    const again = many(await uploadMany(mia, 'multi-long', transactions));
    expect(again.transactions.slice(0, failAt)).toEqual(body.transactions);
    expect(await counter(40)).toBe(count - 1);
    await setCollisions(true);
  });

  it('means the same as sending each transaction alone when an operation id repeats across them', async () => {
    const c = crud();
    const first = c.put('counters', uuid(50), { label: 'Jugs', value: 5 });
    const body = many(
      await uploadMany(mia, 'multi-repeat', [[first], [{ ...first, data: { label: 'Pans', value: 6 } }]]),
    );
    expect(body.transactions).toEqual([
      { outcomes: [{ op_id: first.op_id, table: 'counters', id: uuid(50), status: 'applied' }] },
      { outcomes: [{ op_id: first.op_id, table: 'counters', id: uuid(50), status: 'applied' }] },
    ]);
    expect(await t.sql('SELECT label FROM counters WHERE id = $1', [uuid(50)])).toEqual([{ label: 'Jugs' }]);
  });

  it('refuses an upload over the operation limit as a whole (413), and one that is neither form (400)', async () => {
    const c = crud();
    const big = Array.from({ length: 3 }, () =>
      Array.from({ length: 2000 }, () => c.put('counters', uuid(60), { label: 'x', value: 1 })),
    );
    expect(await uploadMany(mia, 'multi-big', big)).toMatchObject({
      status: 413,
      body: { error: { code: 'TOO_MANY_OPERATIONS' } },
    });
    const neither = await t.handler.handle({ actor: mia, body: { client_id: 'x', transactions: [] } });
    expect(neither).toMatchObject({ status: 400, body: { error: { code: 'INVALID_REQUEST' } } });
  });
});
