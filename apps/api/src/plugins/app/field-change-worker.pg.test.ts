import { randomUUID } from 'node:crypto';
import { policy } from '@cr/demo-domain';
import { processFieldChange } from '@cr/strategies';
import { createEngine, FieldChangeWorker } from '@cr/upload-engine';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crud, deepJson, IDS, type TestApp, testApp, waitFor } from '../../../test/helpers.ts';
import { createPool } from '../external/db.ts';
import { resolveDemoAuthors } from './authors.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ startWorker: true, env: { FIELD_CHANGE_SWEEP_MS: '100', FIELD_CHANGE_STUCK_MS: '300' } });
  // An app's own trigger refusing one value: a failure Postgres reports for one row, not a
  // data error (P0001, as RAISE EXCEPTION does by default).
  await t.sql(`CREATE FUNCTION refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF NEW.title = 'boom' THEN RAISE EXCEPTION 'no booms here'; END IF; RETURN NEW; END $$`);
  await t.sql(`CREATE TRIGGER tasks_refuse_boom BEFORE UPDATE ON tasks FOR EACH ROW EXECUTE FUNCTION refuse_boom()`);
});
afterAll(() => t.close());

const change = (id: string, user: string, rowId: string, field: string, newValue: string) =>
  t.upload(user, `fcw-${user}-${id}`, [
    crud().tx().put('field_changes', id, {
      table_name: 'tasks',
      row_id: rowId,
      field_name: field,
      new_value: newValue,
      status: 'pending',
    }),
  ]);

const statusOf = async (id: string) =>
  (
    await t.sql<{ status: string; error_code: string | null; error_message: string | null; attempts: number }>(
      `SELECT status, error_code, error_message, attempts FROM field_changes WHERE id = $1`,
      [id],
    )
  )[0];

const settled = (id: string) =>
  waitFor(
    async () => {
      const row = await statusOf(id);
      return row && row.status !== 'pending' ? row : null;
    },
    `field change ${id} settled`,
    5000,
  );

const health = async () => (await t.app.inject({ method: 'GET', url: '/api/health' })).json();

/**
 * One user's change must never stall the worker for everyone. Before, a change whose new value
 * was JSON nested 10,000 levels deep made every sweep throw ("Maximum call stack size exceeded")
 * and roll back its whole batch: other users' valid changes stayed pending, across restarts,
 * while /api/health said "ok".
 */
describe('the field-change worker isolates each change', () => {
  it('fails a change whose new value is JSON nested 54,000 levels deep, and applies the others', async () => {
    const poison = randomUUID();
    const valid = randomUUID();
    await change(poison, 'bob', IDS.task, 'title', deepJson(54_000));
    await change(valid, 'alice', IDS.task2, 'priority', '1');
    expect(await settled(valid)).toMatchObject({ status: 'applied', attempts: 1 });
    expect(await settled(poison)).toMatchObject({ status: 'failed', error_code: 'INVALID_VALUE', attempts: 1 });
    expect(await t.sql(`SELECT priority FROM tasks WHERE id = $1`, [IDS.task2])).toEqual([{ priority: 1 }]);
  });

  it('fails a change whose judging throws, with the reason, and applies the rest of the batch', async () => {
    await t.app.fieldChanges.stop(); // this test drives a worker of its own
    const pool = createPool(t.url, 2);
    const log = { info() {}, warn() {} };
    const exploding = new FieldChangeWorker(pool, log, {
      engine: createEngine(policy),
      resolveAuthors: resolveDemoAuthors,
      sweepMs: 60_000,
      process: (row, target, ctx) => {
        if (row.new_value === '"explode"') throw new RangeError('Maximum call stack size exceeded');
        return processFieldChange(policy, row, target, ctx);
      },
    });
    try {
      const bad = randomUUID();
      const good = randomUUID();
      await change(bad, 'bob', IDS.task, 'description', JSON.stringify('explode'));
      await change(good, 'alice', IDS.task, 'status', JSON.stringify('done'));
      await exploding.drain();
      expect(await statusOf(bad)).toEqual({
        status: 'failed',
        error_code: 'PROCESSING_FAILED',
        error_message: 'This change could not be processed: Maximum call stack size exceeded',
        attempts: 1,
      });
      expect(await statusOf(good)).toMatchObject({ status: 'applied' });
      expect(exploding.status).toMatchObject({ applied: 1, failed: 1, lastError: null });
    } finally {
      await pool.end();
      await t.app.fieldChanges.start();
    }
  });

  it('fails a change Postgres refuses for that row only (an app trigger), and applies the others', async () => {
    const boom = randomUUID();
    const fine = randomUUID();
    await change(boom, 'bob', IDS.task, 'title', JSON.stringify('boom'));
    await change(fine, 'alice', IDS.task, 'description', JSON.stringify('Still applied'));
    const failed = await settled(boom);
    expect(failed).toMatchObject({ status: 'failed', error_code: 'CONSTRAINT_VIOLATION', attempts: 1 });
    expect(failed?.error_message).toMatch(/no booms here/);
    expect(await settled(fine)).toMatchObject({ status: 'applied' });
    expect(await t.sql(`SELECT description FROM tasks WHERE id = $1`, [IDS.task])).toEqual([
      { description: 'Still applied' },
    ]);
    expect(await health()).toMatchObject({ status: 'ok', field_change_worker: { pending: 0, stuck: false } });
  });

  it('reports a worker that cannot make progress as degraded, and ok again once it does', async () => {
    const held = new pg.Client({ connectionString: t.url });
    await held.connect();
    try {
      // Someone holds the task (a long transaction): its change cannot be applied meanwhile.
      await held.query('BEGIN');
      await held.query('SELECT id FROM tasks WHERE id = $1 FOR UPDATE', [IDS.task2]);
      const waiting = randomUUID();
      await change(waiting, 'alice', IDS.task2, 'priority', '5');
      const degraded = await waitFor(async () => {
        const body = await health();
        return body.status === 'degraded' ? body : null;
      }, 'health degraded');
      expect(degraded).toMatchObject({
        database: 'ok',
        field_change_worker: { pending: 1, stuck: true },
        problems: [expect.stringMatching(/1 field change has been pending for more than 0\.3 s/)],
      });
      await held.query('ROLLBACK');
      expect(await settled(waiting)).toMatchObject({ status: 'applied' });
      expect(await health()).toMatchObject({ status: 'ok', problems: [] });
    } finally {
      await held.end();
    }
  });
});
