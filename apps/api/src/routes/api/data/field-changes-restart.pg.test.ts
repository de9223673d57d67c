import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crud, IDS, type TestApp, testApp, waitFor } from '../../../../test/helpers.ts';
import { buildApp } from '../../../app.ts';
import { loadConfig } from '../../../env.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ startWorker: false });
});
afterAll(() => t.close());

describe('field_changes worker', () => {
  it('survives a restart with work pending: a new API instance drains it', async () => {
    const id = randomUUID();
    const alice = crud();
    const response = await t.upload('alice', 'fc-alice', [
      alice.tx().put('field_changes', id, {
        table_name: 'tasks',
        row_id: IDS.task,
        field_name: 'description',
        new_value: JSON.stringify('Written while the worker was down'),
        status: 'pending',
      }),
    ]);
    expect(response.body.outcomes[0]?.status).toBe('applied');
    await t.app.close(); // the instance that accepted the change stops before processing it
    const statusOf = async () =>
      (await t.sql<{ status: string }>(`SELECT status FROM field_changes WHERE id = $1`, [id]))[0]?.status;
    expect(await statusOf()).toBe('pending');

    const restarted = await buildApp({ config: loadConfig({ DATABASE_URL: t.url, FIELD_CHANGE_SWEEP_MS: '60000' }) });
    await restarted.ready();
    try {
      await waitFor(async () => (await statusOf()) === 'applied', 'pending change drained after restart');
      expect(await t.sql(`SELECT description FROM tasks WHERE id = $1`, [IDS.task])).toEqual([
        { description: 'Written while the worker was down' },
      ]);
    } finally {
      await restarted.close();
    }
  });
});
