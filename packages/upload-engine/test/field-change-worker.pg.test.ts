import { processFieldChange } from '@cr/strategies';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FieldChangeWorker } from '../src/index.ts';
import { crud, type TestEngine, testEngine, uuid, waitFor } from './helpers.ts';
import { MEMBERS, membersById } from './workshop.ts';

let t: TestEngine;
beforeAll(async () => {
  t = await testEngine();
});
afterAll(() => t?.close());

const quiet = { info: () => {}, warn: () => {} };
const T0 = '2026-11-01T09:00:00.000Z';

function change(id: string, todo: string, field: string, value: unknown) {
  return crud().put('field_changes', id, {
    table_name: 'todos',
    row_id: todo,
    field_name: field,
    new_value: JSON.stringify(value),
    status: 'pending',
  });
}

async function todo(id: string) {
  await t.upload(MEMBERS.mia, `todo-${id}`, [crud().put('todos', id, { text: 'Sweep', changed_at: T0 })]);
}

describe('the field-change worker', () => {
  it('applies a tracked change to its row with a new version, and fails one the rules refuse', async () => {
    await todo(uuid(1));
    const worker = new FieldChangeWorker(t.pool, quiet, {
      engine: t.handler.engine,
      resolveAuthors: membersById,
      sweepMs: 60_000,
      clock: () => new Date('2026-11-22T12:00:05.000Z'),
    });
    const answer = await t.upload(MEMBERS.max, 'changes-max', [change(uuid(101), uuid(1), 'text', 'Mop')]);
    expect('outcomes' in answer.body && answer.body.outcomes[0]?.status).toBe('applied');
    await t.upload(MEMBERS.max, 'changes-max-2', [change(uuid(102), uuid(1), 'text', '   ')]);
    await worker.drain();
    expect(await t.sql('SELECT text, changed_at, changed_by FROM todos WHERE id = $1', [uuid(1)])).toEqual([
      { text: 'Mop', changed_at: new Date('2026-11-22T12:00:05.000Z'), changed_by: 'max' },
    ]);
    expect(await t.sql('SELECT id, status, error_code, error_message FROM field_changes ORDER BY id')).toEqual([
      { id: uuid(101), status: 'applied', error_code: null, error_message: null },
      { id: uuid(102), status: 'failed', error_code: 'RULE_VIOLATION', error_message: 'A todo needs words.' },
    ]);
    expect(await worker.backlog()).toEqual({ pending: 0, oldestMs: null });
  });

  it('fails a change alone when judging it throws, and one whose author is gone', async () => {
    await todo(uuid(2));
    await t.upload(MEMBERS.max, 'changes-3', [
      change(uuid(103), uuid(2), 'priority', 1),
      { ...change(uuid(104), uuid(2), 'text', 'Boom'), op_id: 2 },
    ]);
    await t.sql(`INSERT INTO members (id, name, role) VALUES ('gus', 'Gus', 'maker')`);
    await t.upload({ id: 'gus', role: 'maker' }, 'changes-gus', [change(uuid(105), uuid(2), 'priority', 2)]);
    const worker = new FieldChangeWorker(t.pool, quiet, {
      engine: t.handler.engine,
      resolveAuthors: async (client, ids) => {
        const found = await membersById(client, ids);
        found.delete('gus');
        return found;
      },
      sweepMs: 60_000,
      process: (row, target, ctx) => {
        if (row.new_value === '"Boom"') throw new Error('no rule foresaw this');
        return processFieldChange(t.handler.engine.policy, row, target, ctx);
      },
    });
    await worker.drain();
    expect(
      await t.sql('SELECT id, status, error_code FROM field_changes WHERE id = ANY($1) ORDER BY id', [
        [uuid(103), uuid(104), uuid(105)],
      ]),
    ).toEqual([
      { id: uuid(103), status: 'applied', error_code: null },
      { id: uuid(104), status: 'failed', error_code: 'PROCESSING_FAILED' },
      { id: uuid(105), status: 'failed', error_code: 'NOT_OWNER' },
    ]);
    expect(await t.sql('SELECT priority FROM todos WHERE id = $1', [uuid(2)])).toEqual([{ priority: 1 }]);
  });

  it('wakes on an upload in another process (NOTIFY), with two workers sharing the queue', async () => {
    await todo(uuid(3));
    const options = { engine: t.handler.engine, resolveAuthors: membersById, sweepMs: 60_000 };
    const workers = [new FieldChangeWorker(t.pool, quiet, options), new FieldChangeWorker(t.pool, quiet, options)];
    await Promise.all(workers.map((worker) => worker.start()));
    try {
      const batch = Array.from({ length: 20 }, (_, i) => ({
        ...change(uuid(200 + i), uuid(3), 'priority', (i % 5) + 1),
        op_id: i + 1,
      }));
      await t.upload(MEMBERS.mia, 'changes-many', batch);
      await waitFor(async () => (await workers[0]?.backlog())?.pending === 0, 'both workers to drain the queue');
      const applied = workers.reduce((sum, worker) => sum + worker.status.applied, 0);
      expect(applied).toBe(20);
      expect(await t.sql('SELECT priority FROM todos WHERE id = $1', [uuid(3)])).toEqual([{ priority: 5 }]);
    } finally {
      await Promise.all(workers.map((worker) => worker.stop()));
    }
  });
});
