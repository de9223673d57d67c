import { describe, expect, it } from 'vitest';
import { ctxFor, ID, NOW, operation, rowsOf, run } from '../testing/test-policy.ts';
import type { Row } from '../types.ts';

const BODY = 'One\n\nTwo\n\nThree\n';
const article = (o: Partial<Row> = {}): Row => ({
  id: ID.article,
  title: 'Plan',
  body: BODY,
  status: 'draft',
  rev: 3,
  updated_by: 'eve',
  updated_at: '2026-11-01T09:00:00.000Z',
  ...o,
});

/** An edit made on `base` (what the user saw): only the changed fields, rev = base.rev + 1. */
function edit(base: Row, changes: Record<string, unknown>, snapshot: 'full' | 'version' = 'full') {
  const stated =
    snapshot === 'full'
      ? { rev: base.rev, title: base.title, body: base.body, status: base.status }
      : { rev: base.rev };
  return operation({
    op: 'PATCH',
    type: 'articles',
    id: ID.article,
    data: { ...changes, rev: (base.rev as number) + 1 },
    metadata: JSON.stringify({ base: stated }),
  });
}

describe('threeWayMerge({ fields, version })', () => {
  const seen = article();
  const server = article({ rev: 4, body: 'One\n\nTwo\n\nThree, by Will\n', updated_by: 'will' });

  it.each([
    {
      what: 'an edit of the current version applies as sent',
      row: seen,
      changes: { body: 'One!\n\nTwo\n\nThree\n' },
      outcome: 'applied',
      stored: { rev: 4, body: 'One!\n\nTwo\n\nThree\n', updated_by: 'rae' },
    },
    {
      what: 'another paragraph of an older version merges into one new version',
      row: server,
      changes: { body: 'One, by Rae\n\nTwo\n\nThree\n' },
      outcome: 'merged',
      stored: { rev: 5, body: 'One, by Rae\n\nTwo\n\nThree, by Will\n', updated_by: 'rae', updated_at: NOW },
    },
    {
      what: 'a title edit merges with a body edit',
      row: server,
      changes: { title: 'Plan B' },
      outcome: 'merged',
      stored: { rev: 5, title: 'Plan B', body: 'One\n\nTwo\n\nThree, by Will\n' },
    },
    {
      what: 'a non-text column changed by one side only merges',
      row: article({ rev: 4, title: 'Plan v2' }),
      changes: { status: 'final' },
      outcome: 'merged',
      stored: { rev: 5, title: 'Plan v2', status: 'final' },
    },
    {
      what: 'the same paragraph changed differently is a conflict, the row untouched',
      row: server,
      changes: { body: 'One\n\nTwo\n\nThree, by Rae\n' },
      outcome: 'conflict',
      stored: { rev: 4, body: 'One\n\nTwo\n\nThree, by Will\n' },
    },
    {
      what: 'a title changed differently is a conflict on that field only; the body that merged is applied',
      row: article({ rev: 4, title: 'Plan A' }),
      changes: { title: 'Plan B', body: 'Zero\n\nOne\n\nTwo\n\nThree\n' },
      outcome: 'merged',
      stored: { rev: 5, title: 'Plan A', body: 'Zero\n\nOne\n\nTwo\n\nThree\n' },
    },
  ])('$what', ({ row, changes, outcome, stored }) => {
    const rows = rowsOf([['articles', row]]);
    const decision = run(edit(seen, changes), rows, ctxFor('eve', { user: { id: 'rae', role: 'writer' } }));
    expect(decision.outcome).toBe(outcome);
    expect(rows.get('articles', ID.article)).toMatchObject(stored);
  });

  it('says what was merged, and records a conflict with the hunks and the three values', () => {
    const merged = run(edit(seen, { body: 'One!\n\nTwo\n\nThree\n' }), rowsOf([['articles', server]]), ctxFor('eve'));
    expect(merged).toMatchObject({
      outcome: 'merged',
      dropped: [],
      code: 'MERGED_CONCURRENT_EDITS',
      message:
        'Merged with version 4 (last changed by will): your changes and theirs are both in version 5. From version 4: body: line 5 from them.',
    });
    const conflict = run(
      edit(seen, { title: 'Other', body: 'One\n\nTwo\n\nMine\n' }),
      rowsOf([['articles', article({ rev: 4, title: 'Plan A', body: server.body })]]),
      ctxFor('eve'),
    );
    expect(conflict).toMatchObject({
      outcome: 'conflict',
      code: 'OVERLAPPING_EDITS',
      message:
        'Your edit and version 4 (last changed by eve) changed the same part of title (1 place), body (1 place); choose what to keep.',
      conflict: {
        strategy: 'three-way-merge',
        baseValues: { rev: 3, title: 'Plan', body: BODY },
        hunks: {
          title: [{ line: 0, base: 'Plan\n', server: 'Plan A\n', client: 'Other\n' }],
          body: [{ line: 4, base: 'Three\n', server: 'Three, by Will\n', client: 'Mine\n' }],
        },
      },
    });
  });

  it('applies what merged and records only the field both changed, against the new version', () => {
    const rows = rowsOf([['articles', article({ rev: 4, title: 'Plan A', body: server.body })]]);
    const decision = run(edit(seen, { title: 'Plan B', body: 'One!\n\nTwo\n\nThree\n' }), rows, ctxFor('eve'));
    expect(decision).toMatchObject({
      outcome: 'merged',
      code: 'MERGED_WITH_CONFLICT',
      message:
        'Your changes to body are merged with version 4 (last changed by eve) in version 5; you both changed title (1 place): choose what to keep in the conflicts banner. From version 4: body: line 5 from them.',
      conflict: {
        code: 'OVERLAPPING_EDITS',
        message:
          'Your edit and version 4 (last changed by eve) changed the same part of title (1 place); the rest of your edit is in version 5. Choose what to keep.',
        conflict: {
          strategy: 'three-way-merge',
          clientValues: { title: 'Plan B' },
          serverValues: { rev: 5, title: 'Plan A', body: 'One!\n\nTwo\n\nThree, by Will\n' },
          baseValues: { rev: 3, title: 'Plan' },
          hunks: { title: [{ line: 0, base: 'Plan\n', server: 'Plan A\n', client: 'Plan B\n' }] },
        },
      },
    });
    expect(rows.get('articles', ID.article)).toMatchObject({
      rev: 5,
      title: 'Plan A',
      body: 'One!\n\nTwo\n\nThree, by Will\n',
    });
  });

  it('takes an edit without the version when the local row already held the next one (a form open across a sync)', () => {
    const saved = (previous: number) =>
      operation({
        op: 'PATCH',
        type: 'articles',
        id: ID.article,
        data: { body: 'One!\n\nTwo\n\nThree\n' },
        old: { rev: previous },
        metadata: JSON.stringify({ base: { rev: 3, body: BODY } }),
      });
    const rows = rowsOf([['articles', server]]);
    expect(run(saved(4), rows, ctxFor('eve'))).toMatchObject({ outcome: 'merged' });
    expect(rows.get('articles', ID.article)).toMatchObject({ rev: 5, body: 'One!\n\nTwo\n\nThree, by Will\n' });
    // Without that old value, the missing version is still refused.
    expect(run(saved(3), rowsOf([['articles', server]]), ctxFor('eve'))).toMatchObject({
      outcome: 'rejected',
      code: 'MISSING_VERSION_TOKEN',
    });
    // Applied as sent (nobody saved in between), the version still moves on.
    const fresh = rowsOf([['articles', article({ rev: 3 })]]);
    const current = operation({
      op: 'PATCH',
      type: 'articles',
      id: ID.article,
      data: { body: 'x\n' },
      old: { rev: 4 },
      metadata: JSON.stringify({ base: { rev: 3, body: BODY } }),
    });
    expect(run(current, fresh, ctxFor('eve')).outcome).toBe('applied');
    expect(fresh.get('articles', ID.article)).toMatchObject({ rev: 4, body: 'x\n' });
  });

  it('merges a chain of offline edits, each on the one before', () => {
    const rows = rowsOf([['articles', server]]);
    const first = { ...seen, body: 'One, 1st\n\nTwo\n\nThree\n' };
    expect(run(edit(seen, { body: first.body }), rows, ctxFor('eve')).outcome).toBe('merged');
    const second = edit({ ...first, rev: 4 }, { body: 'One, 1st\n\nTwo, 2nd\n\nThree\n' });
    expect(run(second, rows, ctxFor('eve')).outcome).toBe('merged');
    expect(rows.get('articles', ID.article)).toMatchObject({
      rev: 6,
      body: 'One, 1st\n\nTwo, 2nd\n\nThree, by Will\n',
    });
  });

  it('never trusts a version number alone: same version, other text, is merged, not written over', () => {
    // Two offline branches both numbered 4: the server's 4 is Will's; the edit's base 4 is the
    // author's own earlier edit (itself recorded as a conflict, so kept there). Only what this
    // edit changed relative to its base (paragraph Two) is merged into Will's text.
    const mine = article({ rev: 4, body: 'One, mine\n\nTwo\n\nThree\n' });
    const rows = rowsOf([['articles', server]]);
    const decision = run(edit(mine, { body: 'One, mine\n\nTwo, mine\n\nThree\n' }), rows, ctxFor('eve'));
    expect(decision.outcome).toBe('merged');
    expect(rows.get('articles', ID.article)).toMatchObject({ rev: 5, body: 'One\n\nTwo, mine\n\nThree, by Will\n' });
  });

  it('records a conflict, never writes, for a stale edit without a snapshot, a stale delete, or a merge the rules refuse', () => {
    const bare = run(edit(seen, { body: 'x\n' }, 'version'), rowsOf([['articles', server]]), ctxFor('eve'));
    expect(bare).toMatchObject({ outcome: 'conflict', code: 'VERSION_MISMATCH' });
    const remove = operation({
      op: 'DELETE',
      type: 'articles',
      id: ID.article,
      metadata: JSON.stringify({ base: { rev: 3 } }),
    });
    expect(run(remove, rowsOf([['articles', server]]), ctxFor('eve'))).toMatchObject({ code: 'VERSION_MISMATCH' });
    const long = `${'x'.repeat(600)}\n`;
    const big = article({ rev: 4, body: `${BODY}${long}` });
    const tooLong = run(edit(seen, { body: `${long}${BODY}` }), rowsOf([['articles', big]]), ctxFor('eve'));
    expect(tooLong).toMatchObject({
      outcome: 'conflict',
      code: 'OVERLAPPING_EDITS',
      conflict: { hunks: { body: [] } },
    });
  });

  it('refuses a snapshot that is not a value of its column (NUL, broken characters, numbers)', () => {
    for (const body of ['a\u0000b', 'half \ud800', 42]) {
      const op = operation({
        op: 'PATCH',
        type: 'articles',
        id: ID.article,
        data: { body: 'x\n', rev: 4 },
        metadata: JSON.stringify({ base: { rev: 3, body, junk: '\u0000' } }),
      });
      const rows = rowsOf([['articles', server]]);
      expect(run(op, rows, ctxFor('eve'))).toMatchObject({ outcome: 'rejected', code: 'INVALID_METADATA' });
      expect(rows.get('articles', ID.article)).toMatchObject({ rev: 4, body: server.body });
    }
  });

  it('refuses edits without a base or with a wrong next version, as version() does', () => {
    const rows = rowsOf([['articles', seen]]);
    const noBase = operation({ op: 'PATCH', type: 'articles', id: ID.article, data: { body: 'x', rev: 4 } });
    expect(run(noBase, rows, ctxFor('eve'))).toMatchObject({ code: 'MISSING_BASE_VERSION' });
    const wrong = operation({
      op: 'PATCH',
      type: 'articles',
      id: ID.article,
      data: { body: 'x', rev: 9 },
      metadata: JSON.stringify({ base: { rev: 3 } }),
    });
    expect(run(wrong, rows, ctxFor('eve'))).toMatchObject({ code: 'INVALID_VERSION_TOKEN' });
  });
});
