import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crud, IDS, type TestApp, testApp } from '../../../../test/helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const SEEN = '2026-11-01T09:00:00.000Z';

describe('POST /api/data applies each strategy, as seen in Postgres', () => {
  it('timestamp: applies a fresh task edit, records a stale one as a conflict', async () => {
    const alice = crud();
    const bob = crud();
    const fresh = await t.upload('alice', 'c-alice', [
      alice
        .tx()
        .patch(
          'tasks',
          IDS.task,
          { title: 'Count the whole store', modified_at: '2026-11-22T10:00:00.000Z' },
          { modified_at: SEEN },
        ),
    ]);
    expect(fresh.status).toBe(200);
    expect(fresh.body.outcomes).toEqual([{ op_id: 1, table: 'tasks', id: IDS.task, status: 'applied' }]);

    const stale = await t.upload('bob', 'c-bob', [
      bob
        .tx()
        .patch(
          'tasks',
          IDS.task,
          { title: 'Bob was offline', modified_at: '2026-11-22T10:05:00.000Z' },
          { modified_at: SEEN },
        ),
    ]);
    expect(stale.body.outcomes[0]).toMatchObject({
      status: 'conflict',
      code: 'STALE_WRITE',
      conflict_id: expect.any(String),
    });

    const [task] = await t.sql(`SELECT title, modified_by, modified_at FROM tasks WHERE id = $1`, [IDS.task]);
    expect(task).toEqual({
      title: 'Count the whole store',
      modified_by: 'alice',
      modified_at: '2026-11-22 10:00:00+00',
    });
    const [conflict] = await t.sql(`SELECT * FROM write_conflicts WHERE id = $1`, [
      stale.body.outcomes[0]?.conflict_id,
    ]);
    expect(conflict).toMatchObject({
      user_id: 'bob',
      table_name: 'tasks',
      row_id: IDS.task,
      operation: 'PATCH',
      strategy: 'timestamp',
      status: 'open',
      client_values: { title: 'Bob was offline', modified_at: '2026-11-22T10:05:00.000Z' },
      server_values: expect.objectContaining({ title: 'Count the whole store', modified_by: 'alice' }),
      base_values: { modified_at: SEEN },
      client_id: 'c-bob',
    });
  });

  it('three-way merge: bumps the version of a fresh edit, merges a stale one, records overlapping lines', async () => {
    const seen = '1. Unlock the doors\n2. Switch on the tills\n3. Check the float';
    const edit = (queue: ReturnType<typeof crud>, body: string, base?: Record<string, unknown>) =>
      queue.tx().patch('documents', IDS.doc, { body, version: 4 }, { version: 3 }, base ? { base } : undefined);
    const first = await t.upload('alice', 'v-alice', [
      edit(crud(), '1. Unlock the front doors\n2. Switch on the tills\n3. Check the float', { version: 3, body: seen }),
    ]);
    const second = await t.upload('bob', 'v-bob', [
      edit(crud(), '1. Unlock the doors\n2. Switch on the tills\n3. Count the float', { version: 3, body: seen }),
    ]);
    const third = await t.upload('carol', 'v-carol', [
      edit(crud(), '1. Unlock the back doors\n2. Switch on the tills\n3. Check the float', { version: 3, body: seen }),
    ]);
    const blind = await t.upload('carol', 'v-carol-2', [edit(crud(), 'No snapshot')]);
    expect(first.body.outcomes[0]?.status).toBe('applied');
    expect(second.body.outcomes[0]).toMatchObject({ status: 'merged', code: 'MERGED_CONCURRENT_EDITS' });
    expect(third.body.outcomes[0]).toMatchObject({ status: 'conflict', code: 'OVERLAPPING_EDITS' });
    expect(blind.body.outcomes[0]).toMatchObject({ status: 'conflict', code: 'VERSION_MISMATCH' });
    expect(await t.sql(`SELECT body, version, updated_by FROM documents WHERE id = $1`, [IDS.doc])).toEqual([
      { body: '1. Unlock the front doors\n2. Switch on the tills\n3. Count the float', version: 5, updated_by: 'bob' },
    ]);
    const conflicts = await t.sql(
      `SELECT user_id, strategy, code FROM write_conflicts WHERE row_id = $1 ORDER BY created_at, code`,
      [IDS.doc],
    );
    expect(conflicts).toEqual([
      { user_id: 'carol', strategy: 'three-way-merge', code: 'OVERLAPPING_EDITS' },
      { user_id: 'carol', strategy: 'three-way-merge', code: 'VERSION_MISMATCH' },
    ]);
    expect(
      await t.sql(`SELECT version, kind, author_id FROM document_revisions WHERE row_id = $1 AND version > 3`, [
        IDS.doc,
      ]),
    ).toEqual([
      { version: 4, kind: 'edit', author_id: 'alice' },
      { version: 5, kind: 'merge', author_id: 'bob' },
    ]);
  });

  it('field-level LWW: keeps both clinical edits, drops and records an older field edit', async () => {
    const dan = crud();
    const nina = crud();
    const nurseEdit = { heart_rate: 95, notes: 'Nurse: feels dizzy' };
    const doctorEdit = { diagnosis: 'Hypoglycaemia', notes: 'Doctor: older note' };
    const vitals = await t.upload('nina', 'p-nina', [
      nina.tx().patch('patients', IDS.patient, nurseEdit, undefined, { edited_at: '2026-11-22T10:05:00.000Z' }),
    ]);
    const diagnosis = await t.upload('dan', 'p-dan', [
      dan.tx().patch('patients', IDS.patient, doctorEdit, undefined, { edited_at: '2026-11-22T10:00:00.000Z' }),
    ]);
    expect(vitals.body.outcomes[0]?.status).toBe('applied');
    expect(diagnosis.body.outcomes[0]).toMatchObject({ status: 'merged', code: 'FIELD_SUPERSEDED' });
    const [patient] = await t.sql(`SELECT diagnosis, heart_rate, notes, updated_by FROM patients WHERE id = $1`, [
      IDS.patient,
    ]);
    expect(patient).toEqual({
      diagnosis: 'Hypoglycaemia',
      heart_rate: 95,
      notes: 'Nurse: feels dizzy',
      updated_by: 'nina',
    });
    const [dropped] = await t.sql(`SELECT user_id, code, data FROM rejections WHERE table_name = 'patients'`);
    expect(dropped).toEqual({
      user_id: 'dan',
      code: 'FIELD_SUPERSEDED',
      data: { field: 'notes', attempted: 'Doctor: older note', kept: 'Nurse: feels dizzy' },
    });
  });

  it('business rules: refuses an illegal transition and a clerk price change, accepts a manager price change', async () => {
    const alice = crud();
    const carol = crud();
    const refused = await t.upload('alice', 'o-alice', [
      alice.tx().patch('orders', IDS.shippedOrder, { status: 'pending' }),
      alice.tx().patch('orders', IDS.pendingOrder, { price_cents: 1 }),
    ]);
    expect(refused.body.outcomes.map((o) => [o.status, o.code])).toEqual([
      ['rejected', 'INVALID_TRANSITION'],
      ['rejected', 'PRICE_REQUIRES_MANAGER'],
    ]);
    const accepted = await t.upload('carol', 'o-carol', [
      carol.tx().patch('orders', IDS.pendingOrder, { price_cents: 4500 }),
    ]);
    expect(accepted.body.outcomes[0]?.status).toBe('applied');
    expect(
      await t.sql(`SELECT id, status, price_cents FROM orders WHERE id = ANY($1) ORDER BY id`, [
        [IDS.pendingOrder, IDS.shippedOrder],
      ]),
    ).toEqual([
      { id: IDS.pendingOrder, status: 'pending', price_cents: 4500 },
      { id: IDS.shippedOrder, status: 'shipped', price_cents: 2500 },
    ]);
    const rejections = await t.sql(
      `SELECT user_id, row_id, code, message FROM rejections WHERE table_name = 'orders' ORDER BY op_id`,
    );
    expect(rejections).toEqual([
      {
        user_id: 'alice',
        row_id: IDS.shippedOrder,
        code: 'INVALID_TRANSITION',
        message: expect.stringContaining('from shipped to pending'),
      },
      {
        user_id: 'alice',
        row_id: IDS.pendingOrder,
        code: 'PRICE_REQUIRES_MANAGER',
        message: 'Only a manager can change the price of an order.',
      },
    ]);
  });

  it('delta: applies the change, not the uploaded absolute quantity; refuses going below zero', async () => {
    const alice = crud();
    const bob = crud();
    const carol = crud();
    const sold = await t.upload('alice', 'i-alice', [
      alice.tx().patch('inventory', IDS.cap, { quantity: 1 }, { quantity: 4 }),
    ]);
    expect(sold.body.outcomes[0]?.status).toBe('applied');
    const tooMany = await t.upload('bob', 'i-bob', [
      bob.tx().patch('inventory', IDS.cap, { quantity: 2 }, { quantity: 4 }),
    ]);
    expect(tooMany.body.outcomes[0]).toMatchObject({
      status: 'rejected',
      code: 'INSUFFICIENT_STOCK',
      message: 'Only 1 of Red cap in stock; cannot take 2.',
    });
    expect(await t.sql(`SELECT quantity FROM inventory WHERE id = $1`, [IDS.cap])).toEqual([{ quantity: 1 }]);
    const restock = await t.upload('carol', 'i-carol', [
      carol.tx().patch('inventory', IDS.cap, { quantity: 9 }, { quantity: 4 }),
    ]);
    expect(restock.body.outcomes[0]?.status).toBe('applied');
    expect(await t.sql(`SELECT quantity FROM inventory WHERE id = $1`, [IDS.cap])).toEqual([{ quantity: 6 }]);
    const [recorded] = await t.sql(`SELECT user_id, code FROM rejections WHERE table_name = 'inventory'`);
    expect(recorded).toEqual({ user_id: 'bob', code: 'INSUFFICIENT_STOCK' });
  });

  it('delta: the stated change decides, not the uploaded absolute value made from a stale base (issue 9)', async () => {
    // Blue mug: 10 on the server. The client last saw 1 and sold 2: it uploads quantity -1.
    const c = crud();
    const result = await t.upload('alice', 'i-stale-base', [
      c.tx().patch('inventory', IDS.mug, { quantity: -1 }, { quantity: 1 }, { delta: -2 }),
      c.patch('inventory', IDS.mug, { quantity: -2 }, { quantity: 0 }),
    ]);
    expect(result.body.outcomes.map((o) => [o.status, o.code])).toEqual([
      ['applied', undefined],
      ['applied', undefined],
    ]);
    expect(await t.sql(`SELECT quantity FROM inventory WHERE id = $1`, [IDS.mug])).toEqual([{ quantity: 6 }]);
    const big = crud();
    const overflow = await t.upload('alice', 'i-overflow', [
      big.tx().patch('inventory', IDS.mug, { quantity: 2_147_483_647 }, { quantity: 0 }),
      big.patch('inventory', IDS.mug, { quantity: 1e300 }, { quantity: 0 }),
    ]);
    expect(overflow.body.outcomes.map((o) => [o.status, o.code])).toEqual([
      ['rejected', 'INVALID_VALUE'],
      ['rejected', 'INVALID_VALUE'],
    ]);
    expect(await t.sql(`SELECT quantity FROM inventory WHERE id = $1`, [IDS.mug])).toEqual([{ quantity: 6 }]);
  });
});
