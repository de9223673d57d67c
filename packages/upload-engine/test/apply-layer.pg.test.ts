import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crud, type TestEngine, testEngine, uuid } from './helpers.ts';
import { MEMBERS } from './workshop.ts';

let t: TestEngine;
beforeAll(async () => {
  t = await testEngine();
});
afterAll(() => t?.close());

const { mia, max } = MEMBERS;
const outcomes = (answer: Awaited<ReturnType<TestEngine['upload']>>) =>
  'outcomes' in answer.body ? answer.body.outcomes.map((o) => [o.status, o.code ?? null]) : answer;

describe('the apply layer', () => {
  it('isolates an operation Postgres refuses (a unique label), records it and applies the rest', async () => {
    const c = crud();
    const answer = await t.upload(mia, 'poison', [
      c.put('counters', uuid(10), { label: 'Cups', value: 1 }),
      c.put('counters', uuid(11), { label: 'Cups', value: 2 }),
      c.put('counters', uuid(12), { label: 'Plates', value: 3 }),
    ]);
    expect(outcomes(answer)).toEqual([
      ['applied', null],
      ['rejected', 'CONSTRAINT_VIOLATION'],
      ['applied', null],
    ]);
    expect(await t.sql('SELECT label FROM counters ORDER BY label')).toEqual([{ label: 'Cups' }, { label: 'Plates' }]);
    expect(await t.sql(`SELECT code, row_id FROM rejections WHERE client_id = 'poison'`)).toEqual([
      { code: 'CONSTRAINT_VIOLATION', row_id: uuid(11) },
    ]);
  });

  it('never lets a deleted id come back (tombstones), in the same upload or a later one', async () => {
    const c = crud();
    await t.upload(mia, 'tomb', [c.put('notes', uuid(20), { title: 'Gone soon', version: 1 })]);
    const answer = await t.upload(mia, 'tomb', [
      c.del('notes', uuid(20), { version: 1 }),
      c.put('notes', uuid(20), { title: 'Back', version: 1 }),
    ]);
    expect(outcomes(answer)).toEqual([
      ['applied', null],
      ['rejected', 'ROW_DELETED'],
    ]);
    const later = await t.upload(max, 'tomb-2', [crud().put('notes', uuid(20), { title: 'Again', version: 1 })]);
    expect(outcomes(later)).toEqual([['rejected', 'ROW_DELETED']]);
    expect(await t.sql(`SELECT table_name, deleted_by FROM deleted_rows WHERE row_id = $1`, [uuid(20)])).toEqual([
      { table_name: 'notes', deleted_by: 'mia' },
    ]);
    // The database refuses it too (trigger), for a writer that did not look.
    await expect(
      t.sql(`INSERT INTO notes (id, title, updated_by, updated_at) VALUES ($1, 'x', 'mia', now())`, [uuid(20)]),
    ).rejects.toThrow(/belonged to a deleted row/);
  });

  it('answers a repeated operation id with a rejection of its own, recorded once', async () => {
    const entry = crud().put('notes', uuid(30), { title: 'Once', version: 1 });
    const batch = [entry, { ...entry, data: { title: 'Twice', version: 1 } }];
    const first = await t.upload(mia, 'dupes', batch);
    expect(outcomes(first)).toEqual([
      ['applied', null],
      ['rejected', 'DUPLICATE_OPERATION_ID'],
    ]);
    expect(await t.upload(mia, 'dupes', batch)).toEqual(first);
    expect(await t.sql(`SELECT count(*)::int AS n FROM rejections WHERE client_id = 'dupes'`)).toEqual([{ n: 1 }]);
  });

  it('stores hostile text as a recorded rejection, not a failed request', async () => {
    const answer = await t.upload(mia, 'hostile', [
      crud().put('notes', uuid(40), { title: 'a\u0000b', version: 1 }),
      { op_id: 2, op: 'PUT', type: 'no\u0000table\ud800', id: 'x', data: { '\ud800': 1 } },
    ]);
    expect(outcomes(answer)).toEqual([
      ['rejected', 'INVALID_VALUE'],
      ['rejected', 'UNKNOWN_TABLE'],
    ]);
    expect(await t.sql(`SELECT table_name FROM rejections WHERE client_id = 'hostile' ORDER BY op_id`)).toEqual([
      { table_name: 'notes' },
      { table_name: 'no\ufffdtable\ufffd' },
    ]);
  });

  it('applies concurrent deltas from racing uploads exactly once each', async () => {
    await t.upload(mia, 'race-setup', [crud().put('counters', uuid(50), { label: 'Race', value: 100 })]);
    const sales = Array.from({ length: 8 }, (_, i) => {
      const entry = crud().patch('counters', uuid(50), { value: 97 }, { value: 100 });
      return { clientId: `race-${i}`, batch: [entry] };
    });
    // Every upload is sent twice at once: a redelivery racing its first delivery.
    await Promise.all(
      sales.flatMap(({ clientId, batch }) => [t.upload(max, clientId, batch), t.upload(max, clientId, batch)]),
    );
    expect(await t.sql('SELECT value FROM counters WHERE id = $1', [uuid(50)])).toEqual([{ value: 76 }]);
    expect(
      await t.sql(
        `SELECT count(*)::int AS n FROM applied_operations WHERE client_id LIKE 'race-%' AND client_id <> 'race-setup'`,
      ),
    ).toEqual([{ n: 8 }]);
  });

  it('resolves a recorded conflict against the row as it is now, in one transaction', async () => {
    const c = crud();
    await t.upload(mia, 'resolve', [c.put('notes', uuid(60), { title: 'v1', version: 1 })]);
    await t.upload(mia, 'resolve', [c.patch('notes', uuid(60), { title: 'mia v2', version: 2 }, { version: 1 })]);
    const stale = await t.upload(max, 'resolve-max', [
      crud().patch('notes', uuid(60), { title: 'max v2', version: 2 }, { version: 1 }),
    ]);
    const conflictId = 'outcomes' in stale.body ? stale.body.outcomes[0]?.conflict_id : undefined;
    expect(conflictId).toBeDefined();
    const resolve = crud().patch('write_conflicts', String(conflictId), { status: 'resolved', resolution: 'mine' });
    expect(outcomes(await t.upload(max, 'resolve-max', [{ ...resolve, op_id: 2 }]))).toEqual([['applied', null]]);
    expect(await t.sql('SELECT title, version, updated_by FROM notes WHERE id = $1', [uuid(60)])).toEqual([
      { title: 'max v2', version: 3, updated_by: 'max' },
    ]);
  });
});
