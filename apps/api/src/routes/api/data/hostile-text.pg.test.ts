import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crud, deepJson, IDS, rawBody, snapshot, type TestApp, testApp } from '../../../../test/helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

/** Deep JSON travels as raw text: JSON.stringify (and so app.inject) cannot write it. */
const RAW = {
  deep10k: deepJson(10_000),
  deep100k: deepJson(100_000),
  deepString: JSON.stringify(deepJson(9000)),
  metadata5k: JSON.stringify(deepJson(5000, true)),
};

const NUL = 'before\u0000after';
const LONE = 'a\ud800b';
const SEEN = '2026-11-01T09:00:00.000Z';

/**
 * Text Postgres cannot store (a NUL byte, a lone UTF-16 surrogate) and JSON nested thousands of
 * levels deep, anywhere in an upload: each operation is answered (200), the refused ones are
 * recorded in a form Postgres can store, and a redelivery gets the same answer. Before, each of
 * these was a 500 on every retry, blocking the client's queue for good.
 */
describe('hostile text never blocks the queue', () => {
  it.each([
    ['a NUL in a title', { op: 'PUT', type: 'tasks', id: IDS.task, data: { title: NUL } }, 'INVALID_VALUE'],
    ['a lone surrogate in a title', { op: 'PUT', type: 'tasks', id: IDS.task, data: { title: LONE } }, 'INVALID_VALUE'],
    [
      'a lone surrogate in a PATCH',
      {
        op: 'PATCH',
        type: 'tasks',
        id: IDS.task,
        data: { description: `x${LONE}`, modified_at: '2026-11-22T10:00:00.000Z' },
        old: { modified_at: SEEN },
      },
      'INVALID_VALUE',
    ],
    ['a NUL in a table name', { op: 'PUT', type: 'tasks\u0000', id: IDS.task, data: { title: 'x' } }, 'UNKNOWN_TABLE'],
    ['a lone surrogate in a table name', { op: 'DELETE', type: `t${LONE}`, id: IDS.task }, 'UNKNOWN_TABLE'],
    [
      'a NUL in a column name',
      { op: 'PATCH', type: 'orders', id: IDS.pendingOrder, data: { 'cus\u0000tomer': 'x' } },
      'UNKNOWN_COLUMN',
    ],
    ['a NUL in an id', { op: 'DELETE', type: 'tasks', id: `${IDS.task}\u0000` }, 'INVALID_ID'],
    ['a NUL in the operation', { op: 'PUT\u0000', type: 'tasks', id: IDS.task }, 'UNKNOWN_OPERATION'],
    [
      'JSON 10,000 levels deep in a text value',
      { op: 'PATCH', type: 'orders', id: IDS.pendingOrder, data: { customer: '@deep10k' } },
      'INVALID_VALUE',
    ],
    [
      'JSON 100,000 levels deep as the data',
      { op: 'PUT', type: 'orders', id: IDS.pendingOrder, data: '@deep100k' },
      'INVALID_DATA',
    ],
    [
      'JSON 5,000 levels deep in the metadata',
      { op: 'PATCH', type: 'patients', id: IDS.patient, data: { notes: 'x' }, metadata: '@metadata5k' },
      'TABLE_NOT_PERMITTED',
    ],
  ])('%s: a recorded rejection, the same answer on redelivery', async (_, entry, code) => {
    const before = await snapshot(t);
    const clientId = `hostile-${code}-${Math.random()}`;
    const body = rawBody(clientId, [{ op_id: 1, tx_id: 1, ...entry }], RAW);
    const first = await t.uploadText('alice', body);
    expect(first.status).toBe(200);
    expect(first.body.outcomes).toEqual([expect.objectContaining({ op_id: 1, status: 'rejected', code })]);
    const again = await t.uploadText('alice', body);
    expect(again).toEqual(first);
    expect(await snapshot(t)).toEqual(before);
    const recorded = await t.sql(`SELECT code FROM rejections WHERE client_id = $1`, [clientId]);
    expect(recorded).toEqual([{ code }]);
  });

  it('a stale edit whose previous values hold a NUL and deep JSON is recorded as a conflict', async () => {
    const clientId = `hostile-old-${Math.random()}`;
    const entry = crud()
      .tx()
      .patch(
        'tasks',
        IDS.task2,
        { title: 'Stale', modified_at: '2026-11-22T10:00:00.000Z' },
        { modified_at: '2020-01-01T00:00:00.000Z', note: NUL, nested: '@deep10k', [`k${LONE}`]: LONE },
      );
    const result = await t.uploadText('bob', rawBody(clientId, [entry], RAW));
    expect(result.status).toBe(200);
    expect(result.body.outcomes[0]).toMatchObject({ status: 'conflict', code: 'STALE_WRITE' });
    const [conflict] = await t.sql<{ base_values: Record<string, unknown> }>(
      `SELECT base_values FROM write_conflicts WHERE client_id = $1`,
      [clientId],
    );
    expect(conflict?.base_values.modified_at).toBe('2020-01-01T00:00:00.000Z');
    expect(conflict?.base_values.note).toBe('before\ufffdafter');
    expect(conflict?.base_values['ka\ufffdb']).toBe('a\ufffdb');
    expect(JSON.stringify(conflict?.base_values.nested)).toMatch(/nested deeper than/);
  });

  it('a conflict resolution with deep resolved values is a recorded rejection', async () => {
    const stale = await t.upload('bob', `hostile-stale-${Math.random()}`, [
      crud()
        .tx()
        .patch(
          'tasks',
          IDS.task,
          { title: 'Stale again', modified_at: '2026-11-22T10:00:00.000Z' },
          { modified_at: '2020-01-01T00:00:00.000Z' },
        ),
    ]);
    const conflictId = stale.body.outcomes[0]?.conflict_id as string;
    expect(conflictId).toBeTruthy();
    for (const resolvedValues of ['@deep10k', { title: '@deep10k' }, { title: NUL }, '@deepString']) {
      const clientId = `hostile-resolve-${Math.random()}`;
      const entry = crud().tx().patch('write_conflicts', conflictId, {
        status: 'resolved',
        resolution: 'merged',
        resolved_values: resolvedValues,
      });
      const result = await t.uploadText('bob', rawBody(clientId, [entry], RAW));
      expect(result.status).toBe(200);
      expect(result.body.outcomes[0]?.status).toBe('rejected');
      expect(await t.sql(`SELECT count(*)::int AS n FROM rejections WHERE client_id = $1`, [clientId])).toEqual([
        { n: 1 },
      ]);
    }
    expect(await t.sql(`SELECT status FROM write_conflicts WHERE id = $1`, [conflictId])).toEqual([{ status: 'open' }]);
  });

  it('a client id that cannot be stored is a 400 that names it, not a 500', async () => {
    for (const clientId of ['c\u0000lient', `c${LONE}`]) {
      const result = await t.upload('alice', clientId, [crud().tx().del('tasks', IDS.task)]);
      expect(result.status).toBe(400);
      expect(result.body.error?.code).toBe('INVALID_CLIENT_ID');
    }
  });
});
