import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crud, IDS, snapshot, type TestApp, testApp } from '../../../../test/helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const quantity = async (id: string) =>
  (await t.sql<{ quantity: number }>(`SELECT quantity FROM inventory WHERE id = $1`, [id]))[0]?.quantity;

/**
 * Idempotency is keyed by the signed-in user, the client id and the operation id, and a client id
 * belongs to the user who first uploaded with it. Before, Alice reusing Bob's (client id, op id)
 * got Bob's outcome (his table and row) and her own write was silently dropped.
 */
describe('the ledger never crosses users', () => {
  it("another user's client id is refused: no write dropped, no outcome leaked", async () => {
    const bob = await t.upload('bob', 'shared-client', [
      crud().tx().patch('inventory', IDS.cap, { quantity: 3 }, { quantity: 4 }),
    ]);
    expect(bob.body.outcomes[0]).toMatchObject({ status: 'applied', id: IDS.cap });
    const before = await snapshot(t);

    const alice = await t.upload('alice', 'shared-client', [
      crud().tx().patch('inventory', IDS.mug, { quantity: 9 }, { quantity: 10 }),
    ]);
    expect(alice.status).toBe(403);
    expect(alice.body.error?.code).toBe('CLIENT_ID_IN_USE');
    expect(JSON.stringify(alice.body)).not.toContain(IDS.cap);
    expect(await snapshot(t)).toEqual(before);

    const again = await t.upload('bob', 'shared-client', [
      crud().tx().patch('inventory', IDS.cap, { quantity: 3 }, { quantity: 4 }),
    ]);
    expect(again.body).toEqual(bob.body);
    expect(await t.sql(`SELECT user_id FROM api_clients WHERE client_id = 'shared-client'`)).toEqual([
      { user_id: 'bob' },
    ]);
  });

  it("an operation id in another user's ledger is never answered to this user", async () => {
    // A ledger row written before client ids were bound to users (migration 0004 keeps it).
    await t.sql(
      `INSERT INTO applied_operations (client_id, op_id, user_id, table_name, row_id, operation, status)
       VALUES ('legacy-client', 1, 'bob', 'inventory', $1, 'PATCH', 'applied')`,
      [IDS.cap],
    );
    const mug = await quantity(IDS.mug);
    const alice = await t.upload('alice', 'legacy-client', [
      crud().tx().patch('inventory', IDS.mug, { quantity: 9 }, { quantity: 10 }),
    ]);
    expect(alice.body.outcomes).toEqual([{ op_id: 1, table: 'inventory', id: IDS.mug, status: 'applied' }]);
    expect(await quantity(IDS.mug)).toBe((mug ?? 0) - 1);
    expect(
      await t.sql(`SELECT user_id, row_id FROM applied_operations WHERE client_id = 'legacy-client' ORDER BY user_id`),
    ).toEqual([
      { user_id: 'alice', row_id: IDS.mug },
      { user_id: 'bob', row_id: IDS.cap },
    ]);
  });

  it('two users racing for a new client id: exactly one gets it', async () => {
    for (let round = 0; round < 5; round++) {
      const clientId = `race-${round}`;
      const results = await Promise.all(
        ['alice', 'bob'].map((user) =>
          t.upload(user, clientId, [
            crud()
              .tx()
              .patch('inventory', IDS.mug, { name: `Mug ${user}` }, {}),
          ]),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 403]);
      const winner = results[0]?.status === 200 ? 'alice' : 'bob';
      expect(await t.sql(`SELECT user_id FROM api_clients WHERE client_id = $1`, [clientId])).toEqual([
        { user_id: winner },
      ]);
      expect(await t.sql(`SELECT user_id FROM applied_operations WHERE client_id = $1`, [clientId])).toEqual([
        { user_id: winner },
      ]);
    }
  });
});
