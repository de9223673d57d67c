import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crud, IDS, type TestApp, testApp } from '../../../../test/helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

async function one<T extends Record<string, unknown>>(text: string, params: unknown[]): Promise<T> {
  const [row] = await t.sql<T>(text, params);
  if (!row) throw new Error(`no row: ${text}`);
  return row;
}

/**
 * Two users online: Alice's form stays open while Bob saves. Her local row has already synced
 * Bob's version, so change tracking sends Bob's version as the old value; the form states the
 * version it was opened on in _metadata.base, and that is what the server judges.
 */
describe('POST /api/data judges an edit on the base its form was opened on', () => {
  it('tasks: Alice’s priority edit on the version before Bob’s rename is a conflict; Bob’s title stays', async () => {
    const { modified_at: seen, priority } = await one<{ modified_at: string; priority: number }>(
      `SELECT to_char(modified_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS modified_at, priority
         FROM tasks WHERE id = $1`,
      [IDS.task],
    );
    const bobsVersion = '2026-11-22T10:00:00.000Z';
    const bob = await t.upload('bob', 'b-bob', [
      crud()
        .tx()
        .patch('tasks', IDS.task, { title: 'Renamed by Bob', modified_at: bobsVersion }, { modified_at: seen }),
    ]);
    expect(bob.body.outcomes[0]?.status).toBe('applied');

    const alice = await t.upload('alice', 'b-alice', [
      crud()
        .tx()
        .patch(
          'tasks',
          IDS.task,
          { priority: priority === 1 ? 2 : 1, modified_at: '2026-11-22T10:01:00.000Z' },
          { modified_at: bobsVersion },
          { base: { modified_at: seen } },
        ),
    ]);
    expect(alice.body.outcomes[0]).toMatchObject({ status: 'conflict', code: 'STALE_WRITE' });
    expect(await t.sql(`SELECT title, priority, modified_by FROM tasks WHERE id = $1`, [IDS.task])).toEqual([
      { title: 'Renamed by Bob', priority, modified_by: 'bob' },
    ]);
    const [conflict] = await t.sql(`SELECT user_id, client_values, base_values FROM write_conflicts WHERE id = $1`, [
      alice.body.outcomes[0]?.conflict_id,
    ]);
    expect(conflict).toEqual({
      user_id: 'alice',
      client_values: { priority: priority === 1 ? 2 : 1, modified_at: '2026-11-22T10:01:00.000Z' },
      base_values: { modified_at: seen },
    });
  });

  it('documents: a save on version 1 after Bob saved version 2 is a conflict, not version 3', async () => {
    const { version } = await one<{ version: number }>(`SELECT version FROM documents WHERE id = $1`, [IDS.doc]);
    const bob = await t.upload('bob', 'd-bob', [
      crud()
        .tx()
        .patch('documents', IDS.doc, { body: 'Bob’s text', version: version + 1 }, { version }),
    ]);
    expect(bob.body.outcomes[0]?.status).toBe('applied');
    const alice = await t.upload('alice', 'd-alice', [
      crud()
        .tx()
        .patch(
          'documents',
          IDS.doc,
          { body: 'Alice’s text', version: version + 1 },
          { version: version + 1 },
          { base: { version } },
        ),
    ]);
    expect(alice.body.outcomes[0]).toMatchObject({ status: 'conflict', code: 'VERSION_MISMATCH' });
    expect(await t.sql(`SELECT body, version FROM documents WHERE id = $1`, [IDS.doc])).toEqual([
      { body: 'Bob’s text', version: version + 1 },
    ]);
  });

  it('refuses a whitespace-only title, recorded with its reason', async () => {
    const { version } = await one<{ version: number }>(`SELECT version FROM documents WHERE id = $1`, [IDS.doc]);
    const blank = await t.upload('alice', 'blank-alice', [
      crud()
        .tx()
        .patch('documents', IDS.doc, { title: '   ', version: version + 1 }, { version }),
    ]);
    expect(blank.body.outcomes[0]).toMatchObject({ status: 'rejected', code: 'INVALID_VALUE' });
    const [rejection] = await t.sql(`SELECT user_id, code FROM rejections WHERE client_id = 'blank-alice'`);
    expect(rejection).toEqual({ user_id: 'alice', code: 'INVALID_VALUE' });
    const [doc] = await t.sql<{ title: string }>(`SELECT title FROM documents WHERE id = $1`, [IDS.doc]);
    expect(doc?.title.trim()).not.toBe('');
  });
});
