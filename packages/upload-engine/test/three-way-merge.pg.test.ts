import { mergeText } from '@cr/strategies';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crud, type TestEngine, testEngine, uuid } from './helpers.ts';
import { MEMBERS } from './workshop.ts';

let t: TestEngine;
beforeAll(async () => {
  t = await testEngine();
});
afterAll(() => t?.close());

const { mia, max } = MEMBERS;
const BODY = 'One\n\nTwo\n\nThree\n';
const statuses = (answer: Awaited<ReturnType<TestEngine['upload']>>) =>
  'outcomes' in answer.body ? answer.body.outcomes.map((o) => [o.status, o.code ?? null]) : answer;

/** An edit of draft `id` made on version 1 as `BODY`: only the body, with the snapshot it was made on. */
const editOfV1 = (id: string, body: string) =>
  crud().patch('drafts', id, { body, version: 2 }, undefined, { base: { version: 1, title: 'Plan', body: BODY } });

describe('threeWayMerge through the engine, in Postgres', () => {
  it('merges two edits of different paragraphs of one version into one new version, once', async () => {
    const id = uuid(1);
    await t.upload(mia, 'mia-1', [crud().put('drafts', id, { title: 'Plan', body: BODY, version: 1 })]);
    expect(statuses(await t.upload(mia, 'mia-1b', [editOfV1(id, 'One, by Mia\n\nTwo\n\nThree\n')]))).toEqual([
      ['applied', null],
    ]);
    const late = [editOfV1(id, 'One\n\nTwo\n\nThree, by Max\n')];
    const answer = await t.upload(max, 'max-1', late);
    expect(answer.body).toMatchObject({
      outcomes: [
        {
          status: 'merged',
          code: 'MERGED_CONCURRENT_EDITS',
          message:
            'Merged with version 2 (last changed by mia): your changes and theirs are both in version 3. From version 2: body: line 1 from them.',
        },
      ],
    });
    expect(await t.upload(max, 'max-1', late)).toEqual(answer); // redelivered: the same answer, no version 4
    expect(await t.sql('SELECT body, version, updated_by FROM drafts WHERE id = $1', [id])).toEqual([
      { body: 'One, by Mia\n\nTwo\n\nThree, by Max\n', version: 3, updated_by: 'max' },
    ]);
    expect(await t.sql(`SELECT count(*)::int AS n FROM write_conflicts WHERE row_id = $1`, [id])).toEqual([{ n: 0 }]);
  });

  it('records edits of the same paragraph as a conflict from which the hunks come back, the draft untouched', async () => {
    const id = uuid(2);
    await t.upload(mia, 'mia-2', [crud().put('drafts', id, { title: 'Plan', body: BODY, version: 1 })]);
    await t.upload(mia, 'mia-2b', [editOfV1(id, 'One\n\nTwo, by Mia\n\nThree\n')]);
    const answer = await t.upload(max, 'max-2', [editOfV1(id, 'One\n\nTwo, by Max\n\nThree\n')]);
    expect(statuses(answer)).toEqual([['conflict', 'OVERLAPPING_EDITS']]);
    expect(await t.sql('SELECT body, version FROM drafts WHERE id = $1', [id])).toEqual([
      { body: 'One\n\nTwo, by Mia\n\nThree\n', version: 2 },
    ]);
    const [recorded] = await t.sql(
      `SELECT base_values, server_values, client_values, message FROM write_conflicts WHERE row_id = $1`,
      [id],
    );
    const values = recorded as Record<string, Record<string, string>>;
    expect(recorded?.message).toBe(
      'Your edit and version 2 (last changed by mia) changed the same part of body (1 place); choose what to keep.',
    );
    expect(
      mergeText(values.base_values?.body ?? '', values.server_values?.body ?? '', values.client_values?.body ?? ''),
    ).toMatchObject({
      status: 'conflict',
      hunks: [{ line: 2, base: 'Two\n', server: 'Two, by Mia\n', client: 'Two, by Max\n' }],
    });
  });

  it('records an edit whose snapshot Postgres could not store as a rejection, never a stuck upload', async () => {
    const id = uuid(3);
    await t.upload(mia, 'mia-3', [crud().put('drafts', id, { title: 'Plan', body: BODY, version: 1 })]);
    await t.upload(mia, 'mia-3b', [editOfV1(id, 'One!\n\nTwo\n\nThree\n')]);
    const hostile = crud().patch('drafts', id, { body: 'x\n', version: 2 }, undefined, {
      base: { version: 1, body: 'a\u0000\ud800' },
    });
    const answer = await t.upload(max, 'max-3', [hostile]);
    expect(statuses(answer)).toEqual([['rejected', 'INVALID_METADATA']]);
    expect(await t.sql(`SELECT code FROM rejections WHERE client_id = 'max-3'`)).toEqual([
      { code: 'INVALID_METADATA' },
    ]);
    expect(await t.sql('SELECT body, version FROM drafts WHERE id = $1', [id])).toEqual([
      { body: 'One!\n\nTwo\n\nThree\n', version: 2 },
    ]);
  });

  it('applies the body that merged and records only the title both changed, resolvable on the new version', async () => {
    const id = uuid(4);
    await t.upload(mia, 'mia-4', [crud().put('drafts', id, { title: 'Plan', body: BODY, version: 1 })]);
    const c = crud();
    await t.upload(mia, 'mia-4b', [
      c.patch('drafts', id, { title: 'Plan A', body: 'One, by Mia\n\nTwo\n\nThree\n', version: 2 }, undefined, {
        base: { version: 1, title: 'Plan', body: BODY },
      }),
    ]);
    const q = crud();
    const late = [
      q.patch('drafts', id, { title: 'Plan B', body: 'One\n\nTwo\n\nThree, by Max\n', version: 2 }, undefined, {
        base: { version: 1, title: 'Plan', body: BODY },
      }),
    ];
    const answer = await t.upload(max, 'max-4', late);
    expect(answer.body).toMatchObject({
      outcomes: [
        {
          status: 'merged',
          code: 'MERGED_WITH_CONFLICT',
          message:
            'Your changes to body are merged with version 2 (last changed by mia) in version 3; you both changed title (1 place): choose what to keep in the conflicts banner. From version 2: body: line 1 from them.',
          conflict_id: expect.any(String),
        },
      ],
    });
    expect(await t.upload(max, 'max-4', late)).toEqual(answer); // redelivered: same answer, nothing twice
    expect(await t.sql('SELECT title, body, version FROM drafts WHERE id = $1', [id])).toEqual([
      { title: 'Plan A', body: 'One, by Mia\n\nTwo\n\nThree, by Max\n', version: 3 },
    ]);
    const conflicts = await t.sql(
      `SELECT id, user_id, code, client_values, base_values, server_values->'version' AS on_version
         FROM write_conflicts WHERE row_id = $1`,
      [id],
    );
    expect(conflicts).toEqual([
      {
        id: 'outcomes' in answer.body ? answer.body.outcomes[0]?.conflict_id : null,
        user_id: 'max',
        code: 'OVERLAPPING_EDITS',
        client_values: { title: 'Plan B' },
        base_values: { title: 'Plan', version: 1 },
        on_version: 3,
      },
    ]);
    // The conflict is about version 3, the one the merge made: keeping Max's title is not stale.
    const resolve = crud().patch('write_conflicts', String(conflicts[0]?.id), {
      status: 'resolved',
      resolution: 'mine',
    });
    expect(statuses(await t.upload(max, 'max-4r', [resolve]))).toEqual([['applied', null]]);
    expect(await t.sql('SELECT title, body, version FROM drafts WHERE id = $1', [id])).toEqual([
      { title: 'Plan B', body: 'One, by Mia\n\nTwo\n\nThree, by Max\n', version: 4 },
    ]);
    expect(
      await t.sql('SELECT version, kind, author_id FROM draft_revisions WHERE row_id = $1 ORDER BY version', [id]),
    ).toEqual([
      { version: 1, kind: 'create', author_id: 'mia' },
      { version: 2, kind: 'edit', author_id: 'mia' },
      { version: 3, kind: 'merge', author_id: 'max' },
      { version: 4, kind: 'resolution', author_id: 'max' },
    ]);
  });
});
