import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crud, IDS, type TestApp, testApp } from '../../../../test/helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const SEEN = '2026-11-01T09:00:00.000Z';

/** Makes alice edit a task, then `user` make a stale edit of it: returns the conflict id. */
async function staleEdit(taskId: string, user: string, title: string): Promise<string> {
  const first = crud();
  await t.upload('carol', `fresh-${taskId}-${title}`, [
    first
      .tx()
      .patch(
        'tasks',
        taskId,
        { title: `Server ${title}`, modified_at: '2026-11-22T09:00:00.000Z' },
        { modified_at: SEEN },
      ),
  ]);
  const stale = crud();
  const result = await t.upload(user, `stale-${taskId}-${title}`, [
    stale.tx().patch('tasks', taskId, { title, modified_at: '2026-11-22T09:30:00.000Z' }, { modified_at: SEEN }),
  ]);
  const conflictId = result.body.outcomes[0]?.conflict_id;
  if (!conflictId) throw new Error(`expected a conflict, got ${JSON.stringify(result.body)}`);
  return conflictId;
}

describe('resolving a write_conflicts row applies the choice and marks it resolved in one transaction', () => {
  it('keep mine: the target row gets the conflicting values and a new version', async () => {
    const conflictId = await staleEdit(IDS.task, 'bob', 'Bob keeps this');
    const resolver = crud();
    const result = await t.upload('bob', 'bob-resolver', [
      resolver.tx().patch('write_conflicts', conflictId, { status: 'resolved', resolution: 'mine' }),
    ]);
    expect(result.body.outcomes[0]?.status).toBe('applied');
    const [task] = await t.sql(
      `SELECT title, modified_by, modified_at > '2026-11-22T09:00:00Z' AS newer FROM tasks WHERE id = $1`,
      [IDS.task],
    );
    expect(task).toEqual({ title: 'Bob keeps this', modified_by: 'bob', newer: true });
    const [conflict] = await t.sql(
      `SELECT status, resolution, resolved_by, resolved_values FROM write_conflicts WHERE id = $1`,
      [conflictId],
    );
    expect(conflict).toEqual({
      status: 'resolved',
      resolution: 'mine',
      resolved_by: 'bob',
      resolved_values: { title: 'Bob keeps this' },
    });
  });

  it("keep server by a reviewer: the row stays, the conflict closes; a third user can't touch it", async () => {
    const conflictId = await staleEdit(IDS.task2, 'bob', 'Bob offline');
    const before = await t.sql(`SELECT * FROM tasks WHERE id = $1`, [IDS.task2]);
    const alice = crud();
    const denied = await t.upload('alice', 'alice-resolver', [
      alice.tx().patch('write_conflicts', conflictId, { status: 'resolved', resolution: 'mine' }),
    ]);
    expect(denied.body.outcomes[0]).toMatchObject({ status: 'rejected', code: 'NOT_OWNER' });
    const rita = crud();
    const kept = await t.upload('rita', 'rita-resolver', [
      rita.tx().patch('write_conflicts', conflictId, { status: 'resolved', resolution: 'server' }),
    ]);
    expect(kept.body.outcomes[0]?.status).toBe('applied');
    expect(await t.sql(`SELECT * FROM tasks WHERE id = $1`, [IDS.task2])).toEqual(before);
    expect(
      await t.sql(`SELECT status, resolution, resolved_by FROM write_conflicts WHERE id = $1`, [conflictId]),
    ).toEqual([{ status: 'resolved', resolution: 'server', resolved_by: 'rita' }]);
  });

  it('merged: applies the chosen field values; a second resolution is refused', async () => {
    const taskId = '10000000-0000-4000-8000-000000000003';
    const conflictId = await staleEdit(taskId, 'alice', 'Alice title');
    const alice = crud();
    const merged = await t.upload('alice', 'alice-merge', [
      alice.tx().patch('write_conflicts', conflictId, {
        status: 'resolved',
        resolution: 'merged',
        resolved_values: JSON.stringify({ title: 'Merged title', priority: 1 }),
      }),
      alice.tx().patch('write_conflicts', conflictId, { status: 'resolved', resolution: 'server' }),
    ]);
    expect(merged.body.outcomes.map((o) => [o.status, o.code])).toEqual([
      ['applied', undefined],
      ['rejected', 'ALREADY_RESOLVED'],
    ]);
    expect(await t.sql(`SELECT title, priority FROM tasks WHERE id = $1`, [taskId])).toEqual([
      { title: 'Merged title', priority: 1 },
    ]);
  });

  it('keep mine of a stale DELETE never deletes an edit the resolver did not see', async () => {
    const taskId = '10000000-0000-4000-8000-000000000004';
    const stale = await t.upload('bob', 'del-stale', [
      crud().tx().del('tasks', taskId, { modified_at: '2020-01-01T00:00:00.000Z' }),
    ]);
    const conflictId = stale.body.outcomes[0]?.conflict_id as string;
    expect(stale.body.outcomes[0]).toMatchObject({ status: 'conflict', code: 'STALE_WRITE' });
    const [seen] = await t.sql<{ modified_at: string }>(
      `SELECT to_json(modified_at) #>> '{}' AS modified_at FROM tasks WHERE id = $1`,
      [taskId],
    );
    // Carol edits the task after the conflict was recorded.
    await t.upload('carol', 'del-carol', [
      crud()
        .tx()
        .patch(
          'tasks',
          taskId,
          { title: 'Carol edited after', modified_at: '2026-11-23T09:00:00.000Z' },
          { modified_at: seen?.modified_at },
        ),
    ]);
    const mine = await t.upload('bob', 'del-resolve', [
      crud().tx().patch('write_conflicts', conflictId, { status: 'resolved', resolution: 'mine' }),
    ]);
    expect(mine.body.outcomes[0]).toMatchObject({ status: 'rejected', code: 'STALE_RESOLUTION' });
    expect(await t.sql(`SELECT title FROM tasks WHERE id = $1`, [taskId])).toEqual([{ title: 'Carol edited after' }]);
    const [conflict] = await t.sql<{ status: string; title: string }>(
      `SELECT status, server_values->>'title' AS title FROM write_conflicts WHERE id = $1`,
      [conflictId],
    );
    expect(conflict).toEqual({ status: 'open', title: 'Carol edited after' });

    // Having seen the new version, Bob may still delete it.
    const again = await t.upload('bob', 'del-resolve-2', [
      crud().tx().patch('write_conflicts', conflictId, { status: 'resolved', resolution: 'mine' }),
    ]);
    expect(again.body.outcomes[0]?.status).toBe('applied');
    expect(await t.sql(`SELECT id FROM tasks WHERE id = $1`, [taskId])).toEqual([]);
  });

  it('every resolution kind is checked for staleness: keep server too', async () => {
    const taskId = '10000000-0000-4000-8000-000000000005';
    await t.upload('alice', 'server-stale-create', [
      crud().tx().put('tasks', taskId, { title: 'New', modified_at: SEEN }),
    ]);
    const conflictId = await staleEdit(taskId, 'bob', 'Bob stale');
    const [row] = await t.sql<{ modified_at: string }>(
      `SELECT to_json(modified_at) #>> '{}' AS modified_at FROM tasks WHERE id = $1`,
      [taskId],
    );
    await t.upload('alice', 'server-stale-alice', [
      crud()
        .tx()
        .patch(
          'tasks',
          taskId,
          { title: 'Alice later', modified_at: '2026-11-23T10:00:00.000Z' },
          { modified_at: row?.modified_at },
        ),
    ]);
    const server = await t.upload('rita', 'server-stale-rita', [
      crud().tx().patch('write_conflicts', conflictId, { status: 'resolved', resolution: 'server' }),
    ]);
    expect(server.body.outcomes[0]).toMatchObject({ status: 'rejected', code: 'STALE_RESOLUTION' });
    expect(await t.sql(`SELECT status FROM write_conflicts WHERE id = $1`, [conflictId])).toEqual([{ status: 'open' }]);
  });
});
