import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crud, IDS, type TestApp, testApp, waitFor } from '../../../../test/helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ startWorker: true, env: { FIELD_CHANGE_SWEEP_MS: '60000' } });
});
afterAll(() => t.close());

const change = (c: ReturnType<typeof crud>, id: string, field: string, value: unknown) =>
  c.put('field_changes', id, {
    table_name: 'tasks',
    row_id: IDS.task,
    field_name: field,
    new_value: JSON.stringify(value),
    status: 'pending',
  });

async function statusOf(id: string) {
  const [row] = await t.sql<{
    status: string;
    error_code: string | null;
    error_message: string | null;
    attempts: number;
  }>(`SELECT status, error_code, error_message, attempts FROM field_changes WHERE id = $1`, [id]);
  return row;
}

describe('field_changes: pending → applied or failed with a reason, and retry', () => {
  it('applies a valid change (the worker is woken by the upload)', async () => {
    const id = randomUUID();
    const bob = crud();
    const result = await t.upload('bob', 'fc-bob-1', [change(bob.tx(), id, 'priority', 1)]);
    expect(result.body.outcomes[0]?.status).toBe('applied');
    const done = await waitFor(
      async () => ((await statusOf(id))?.status === 'applied' ? statusOf(id) : null),
      'change applied',
    );
    expect(done).toEqual({ status: 'applied', error_code: null, error_message: null, attempts: 1 });
    expect(await t.sql(`SELECT priority, modified_by FROM tasks WHERE id = $1`, [IDS.task])).toEqual([
      { priority: 1, modified_by: 'bob' },
    ]);
  });

  it('fails an invalid value with its reason, and applies it after a corrected retry', async () => {
    const id = randomUUID();
    const bob = crud();
    await t.upload('bob', 'fc-bob-2', [change(bob.tx(), id, 'title', '   ')]);
    const failed = await waitFor(
      async () => ((await statusOf(id))?.status === 'failed' ? statusOf(id) : null),
      'change failed',
    );
    expect(failed).toEqual({
      status: 'failed',
      error_code: 'RULE_VIOLATION',
      error_message: 'A task title cannot be blank.',
      attempts: 1,
    });

    await t.upload('bob', 'fc-bob-2', [
      bob.tx().patch('field_changes', id, { new_value: JSON.stringify('Count twice'), status: 'pending' }),
    ]);
    const applied = await waitFor(
      async () => ((await statusOf(id))?.status === 'applied' ? statusOf(id) : null),
      'retry applied',
    );
    expect(applied).toMatchObject({ status: 'applied', error_code: null, attempts: 2 });
    expect(await t.sql(`SELECT title FROM tasks WHERE id = $1`, [IDS.task])).toEqual([{ title: 'Count twice' }]);
  });
});
