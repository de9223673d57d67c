import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crud, NOW, type TestEngine, testEngine, uuid } from './helpers.ts';
import { MEMBERS } from './workshop.ts';

let t: TestEngine;
beforeAll(async () => {
  t = await testEngine();
});
afterAll(() => t?.close());

const { mia, max, lee } = MEMBERS;
const BODY = 'One\n\nTwo\n\nThree\n';
/** One client queue for the whole file: operation ids never repeat, whichever client id sends them. */
const q = crud();
const create = (id: string) => q.put('drafts', id, { title: 'Plan', body: BODY, version: 1 });
/** An edit made on `version` whose snapshot is `seen`: only the fields in `data` change. */
const edit = (
  id: string,
  version: number,
  seen: Record<string, unknown>,
  data: Record<string, unknown>,
  kind?: string,
) =>
  q.patch('drafts', id, { ...data, version: version + 1 }, undefined, {
    base: { version, ...seen },
    ...(kind ? { kind } : {}),
  });
const history = (id: string) =>
  t.sql('SELECT version, kind, author_id, title, body FROM draft_revisions WHERE row_id = $1 ORDER BY version', [id]);
const statuses = (answer: Awaited<ReturnType<TestEngine['upload']>>) =>
  'outcomes' in answer.body ? answer.body.outcomes.map((o) => [o.status, o.code ?? null]) : answer;

describe('revisions (policy option history), in Postgres', () => {
  it('writes one revision per applied version, of the kind its decision made, and none twice', async () => {
    const id = uuid(1);
    await t.upload(mia, 'rev-1', [create(id)]);
    await t.upload(mia, 'rev-1', [edit(id, 1, { body: BODY }, { body: 'One, by Mia\n\nTwo\n\nThree\n' })]);
    const late = [edit(id, 1, { body: BODY }, { body: 'One\n\nTwo\n\nThree, by Max\n' })];
    expect(statuses(await t.upload(max, 'rev-1m', late))).toEqual([['merged', 'MERGED_CONCURRENT_EDITS']]);
    await t.upload(max, 'rev-1m', late); // redelivered: answered from the ledger, no second revision
    const overlapping = edit(id, 1, { body: BODY }, { body: 'One, by Lee\n\nTwo\n\nThree\n' });
    expect(statuses(await t.upload(lee, 'rev-1l', [overlapping]))).toEqual([['conflict', 'OVERLAPPING_EDITS']]);
    expect(await history(id)).toEqual([
      { version: 1, kind: 'create', author_id: 'mia', title: 'Plan', body: BODY },
      { version: 2, kind: 'edit', author_id: 'mia', title: 'Plan', body: 'One, by Mia\n\nTwo\n\nThree\n' },
      { version: 3, kind: 'merge', author_id: 'max', title: 'Plan', body: 'One, by Mia\n\nTwo\n\nThree, by Max\n' },
    ]);
    // Resolving the conflict with the author's version writes the next version: a resolution.
    const [conflict] = await t.sql<{ id: string }>(`SELECT id FROM write_conflicts WHERE row_id = $1`, [id]);
    const resolve = q.patch('write_conflicts', String(conflict?.id), { status: 'resolved', resolution: 'mine' });
    expect(statuses(await t.upload(lee, 'rev-1l', [resolve]))).toEqual([['applied', null]]);
    const [row] = await t.sql('SELECT version, body FROM drafts WHERE id = $1', [id]);
    expect(await history(id)).toHaveLength(4);
    expect((await history(id))[3]).toEqual({
      version: 4,
      kind: 'resolution',
      author_id: 'lee',
      title: 'Plan',
      body: row?.body,
    });
    expect(row?.version).toBe(4);
  });

  it('records a restore as such when it applies as sent, and as a merge when it met unseen work', async () => {
    const id = uuid(2);
    await t.upload(mia, 'rev-2', [create(id)]);
    await t.upload(mia, 'rev-2', [edit(id, 1, { body: BODY }, { body: 'Changed\n' })]);
    const restore = edit(id, 2, { body: 'Changed\n' }, { body: BODY }, 'restore');
    expect(statuses(await t.upload(mia, 'rev-2', [restore]))).toEqual([['applied', null]]);
    await t.upload(max, 'rev-2m', [edit(id, 3, { title: 'Plan' }, { title: 'Plan B' })]);
    // A restore of version 2's body made on version 3: merged with the title nobody restored.
    const stale = edit(id, 3, { body: BODY }, { body: 'Changed\n' }, 'restore');
    expect(statuses(await t.upload(mia, 'rev-2', [stale]))).toEqual([['merged', 'MERGED_CONCURRENT_EDITS']]);
    expect((await history(id)).map((r) => [r.version, r.kind, r.title, r.body])).toEqual([
      [1, 'create', 'Plan', BODY],
      [2, 'edit', 'Plan', 'Changed\n'],
      [3, 'restore', 'Plan', BODY],
      [4, 'edit', 'Plan B', BODY],
      [5, 'merge', 'Plan B', 'Changed\n'],
    ]);
  });

  it('never stores a version without its revision: a revision Postgres refuses takes the edit with it', async () => {
    const id = uuid(3);
    await t.upload(mia, 'rev-3', [create(id)]);
    // Version 2's revision already exists (as if written behind the engine's back): the unique
    // (row_id, version) refuses the engine's, and the edit is refused with it, recorded.
    await t.sql(
      `INSERT INTO draft_revisions (id, row_id, version, title, body, kind, author_id, created_at)
       VALUES ($1, $2, 2, 'x', 'x', 'edit', 'mia', now())`,
      [uuid(399), id],
    );
    const answer = await t.upload(mia, 'rev-3', [edit(id, 1, { body: BODY }, { body: 'Lost?\n' })]);
    expect(statuses(answer)).toEqual([['rejected', 'CONSTRAINT_VIOLATION']]);
    expect(await t.sql('SELECT version, body FROM drafts WHERE id = $1', [id])).toEqual([{ version: 1, body: BODY }]);
    expect(await t.sql(`SELECT count(*)::int AS n FROM rejections WHERE client_id = 'rev-3'`)).toEqual([{ n: 1 }]);
  });

  it('keeps the last 3 versions and every version of the last day; prunes the rest when the draft is written', async () => {
    const id = uuid(4);
    await t.upload(mia, 'rev-4', [create(id)]);
    let body = BODY;
    for (let version = 1; version <= 5; version++) {
      const next = `${body}v${version + 1}\n`;
      await t.upload(mia, 'rev-4', [edit(id, version, { body }, { body: next })]);
      body = next;
    }
    expect((await history(id)).map((r) => r.version)).toEqual([1, 2, 3, 4, 5, 6]); // all from today
    // Versions 1–3 two days old, version 4 half a day old.
    await t.sql(
      `UPDATE draft_revisions SET created_at = $2::timestamptz - interval '2 days' WHERE row_id = $1 AND version <= 3`,
      [id, NOW],
    );
    await t.sql(
      `UPDATE draft_revisions SET created_at = $2::timestamptz - interval '12 hours' WHERE row_id = $1 AND version = 4`,
      [id, NOW],
    );
    await t.upload(mia, 'rev-4', [edit(id, 6, { body }, { body: `${body}v7\n` })]);
    // Kept: the last 3 (5, 6, 7) and version 4 (within a day); 1–3 are older than both.
    expect((await history(id)).map((r) => r.version)).toEqual([4, 5, 6, 7]);
    // Another draft's old history is not touched by this draft's writes.
    const other = uuid(5);
    await t.upload(mia, 'rev-5', [create(other)]);
    await t.sql(`UPDATE draft_revisions SET created_at = $2::timestamptz - interval '9 days' WHERE row_id = $1`, [
      other,
      NOW,
    ]);
    await t.upload(mia, 'rev-4', [edit(id, 7, { body: `${body}v7\n` }, { body: 'Short\n' })]);
    expect((await history(other)).map((r) => r.version)).toEqual([1]);
    expect((await history(id)).map((r) => r.version)).toEqual([4, 5, 6, 7, 8]);
  });

  it('keeps every version of a multi-edit transaction, and the history goes with a deleted draft', async () => {
    const id = uuid(6);
    const second = edit(id, 2, { body: 'A\n' }, { body: 'B\n' });
    await t.upload(max, 'rev-6', [create(id), edit(id, 1, { body: BODY }, { body: 'A\n' }), second]);
    expect((await history(id)).map((r) => [r.version, r.kind, r.body])).toEqual([
      [1, 'create', BODY],
      [2, 'edit', 'A\n'],
      [3, 'edit', 'B\n'],
    ]);
    await t.upload(max, 'rev-6', [q.del('drafts', id, { version: 3 })]);
    expect(await history(id)).toEqual([]);
  });

  it('merges an offline chain whose local version numbers collide with the server’s, against its own snapshots', async () => {
    const id = uuid(7);
    await t.upload(mia, 'rev-7', [create(id)]);
    await t.upload(mia, 'rev-7', [edit(id, 1, { body: BODY }, { body: 'One, by Mia\n\nTwo\n\nThree\n' })]);
    // Max, offline on version 1, saved twice: his local versions 2 and 3 (the server's 2 is Mia's).
    const first = 'One\n\nTwo, by Max\n\nThree\n';
    const chain = [
      edit(id, 1, { body: BODY }, { body: first }),
      edit(id, 2, { body: first }, { body: 'One\n\nTwo, by Max\n\nThree, by Max\n' }),
    ];
    expect(statuses(await t.upload(max, 'rev-7m', chain))).toEqual([
      ['merged', 'MERGED_CONCURRENT_EDITS'],
      ['merged', 'MERGED_CONCURRENT_EDITS'],
    ]);
    expect(await t.sql('SELECT body, version FROM drafts WHERE id = $1', [id])).toEqual([
      { body: 'One, by Mia\n\nTwo, by Max\n\nThree, by Max\n', version: 4 },
    ]);
    expect((await history(id)).map((r) => [r.version, r.kind, r.author_id])).toEqual([
      [1, 'create', 'mia'],
      [2, 'edit', 'mia'],
      [3, 'merge', 'max'],
      [4, 'merge', 'max'],
    ]);
  });
});
