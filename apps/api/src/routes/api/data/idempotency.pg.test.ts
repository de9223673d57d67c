import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crud, IDS, type TestApp, testApp } from '../../../../test/helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

/** One client transaction touching a delta, a version and a conflict. */
function batch() {
  const c = crud();
  return [
    c.tx().patch('inventory', IDS.mug, { quantity: 7 }, { quantity: 10 }),
    c.patch('documents', IDS.doc, { body: 'once', version: 4 }, { version: 3 }),
    c.patch(
      'tasks',
      IDS.task,
      { title: 'stale', modified_at: '2026-11-22T10:00:00.000Z' },
      { modified_at: '2020-01-01T00:00:00.000Z' },
    ),
  ];
}

async function state() {
  const [mug] = await t.sql(`SELECT quantity FROM inventory WHERE id = $1`, [IDS.mug]);
  const [doc] = await t.sql(`SELECT version FROM documents WHERE id = $1`, [IDS.doc]);
  const [conflicts] = await t.sql(`SELECT count(*)::int AS n FROM write_conflicts`);
  const [ledger] = await t.sql(`SELECT count(*)::int AS n FROM applied_operations`);
  return {
    quantity: mug?.quantity as number,
    version: doc?.version as number,
    conflicts: conflicts?.n as number,
    ledger: ledger?.n as number,
  };
}

describe('each operation is applied at most once (client id + operation id)', () => {
  it('the same batch delivered twice: no double delta, no double bump, no duplicate conflict', async () => {
    const first = await t.upload('alice', 'dup-client', batch());
    const second = await t.upload('alice', 'dup-client', batch());
    expect(first.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(first.body.outcomes.map((o) => o.status)).toEqual(['applied', 'applied', 'conflict']);
    expect(await state()).toEqual({ quantity: 7, version: 4, conflicts: 1, ledger: 3 });
  });

  it('the same batch delivered twice at once: still applied once', async () => {
    await t.sql(`UPDATE inventory SET quantity = 10 WHERE id = $1`, [IDS.mug]);
    await t.sql(`UPDATE documents SET version = 3 WHERE id = $1`, [IDS.doc]);
    // Rewinding a document by hand rewinds its history too: version 4 gets one revision again.
    await t.sql(`DELETE FROM document_revisions WHERE row_id = $1 AND version > 3`, [IDS.doc]);
    const before = await state();
    const [a, b, c] = await Promise.all([
      t.upload('alice', 'race-client', batch()),
      t.upload('alice', 'race-client', batch()),
      t.upload('alice', 'race-client', batch()),
    ]);
    expect(b?.body).toEqual(a?.body);
    expect(c?.body).toEqual(a?.body);
    expect(await state()).toEqual({
      quantity: 7,
      version: 4,
      conflicts: before.conflicts + 1,
      ledger: before.ledger + 3,
    });
    expect(
      await t.sql(`SELECT version, kind FROM document_revisions WHERE row_id = $1 AND version > 3`, [IDS.doc]),
    ).toEqual([{ version: 4, kind: 'edit' }]);
  });

  it('a redelivered batch with one new operation applies only the new one', async () => {
    const c = crud();
    const ops = [c.tx().patch('inventory', IDS.cap, { quantity: 3 }, { quantity: 4 })];
    await t.upload('bob', 'partial-client', ops);
    const more = [...ops, c.patch('inventory', IDS.cap, { quantity: 2 }, { quantity: 3 })];
    const result = await t.upload('bob', 'partial-client', more);
    expect(result.body.outcomes.map((o) => o.status)).toEqual(['applied', 'applied']);
    expect(await t.sql(`SELECT quantity FROM inventory WHERE id = $1`, [IDS.cap])).toEqual([{ quantity: 2 }]);
  });

  it('the same operation id from another client is another operation', async () => {
    const before =
      (await t.sql<{ quantity: number }>(`SELECT quantity FROM inventory WHERE id = $1`, [IDS.cap]))[0]?.quantity ?? 0;
    await t.upload('alice', 'client-x', [crud().tx().patch('inventory', IDS.cap, { quantity: 1 }, { quantity: 2 })]);
    await t.upload('bob', 'client-y', [crud().tx().patch('inventory', IDS.cap, { quantity: 1 }, { quantity: 2 })]);
    expect(await t.sql(`SELECT quantity FROM inventory WHERE id = $1`, [IDS.cap])).toEqual([{ quantity: before - 2 }]);
  });
});
