import { describe, expect, it } from 'vitest';
import { ctxFor, DOC_ID, doc, NOW, operation, rowsOf, run } from './fixtures.ts';

const edit = (data: Record<string, unknown>, old?: Record<string, unknown>, base?: Record<string, unknown>) =>
  operation({
    op: 'PATCH',
    type: 'documents',
    id: DOC_ID,
    data,
    old,
    ...(base ? { metadata: JSON.stringify({ base }) } : {}),
  });

describe('strategy 8 on strategy 2: versions, edits of older ones merged three ways (documents)', () => {
  it('applies an edit of the current version and bumps the version by one', () => {
    const rows = rowsOf([['documents', doc()]]);
    expect(run(edit({ body: 'New body', version: 4 }, { version: 3 }), rows, ctxFor('bob')).outcome).toBe('applied');
    expect(rows.get('documents', DOC_ID)).toMatchObject({
      body: 'New body',
      version: 4,
      updated_by: 'bob',
      updated_at: NOW,
    });
  });

  it('records a conflict when the client edited another version without saying what it saw', () => {
    const server = doc({ version: 5, body: 'Server body' });
    const rows = rowsOf([['documents', server]]);
    const decision = run(edit({ body: 'Mine', version: 4 }, { version: 3 }), rows, ctxFor('bob'));
    expect(decision).toMatchObject({
      outcome: 'conflict',
      code: 'VERSION_MISMATCH',
      conflict: { strategy: 'three-way-merge' },
    });
    expect(rows.get('documents', DOC_ID)).toEqual(server);
  });

  it('merges a stale edit of another paragraph into one new version; the same paragraph is a conflict', () => {
    const seen = '1. Unlock\n2. Tills\n3. Float\n';
    const rows = rowsOf([['documents', doc({ version: 4, body: '1. Unlock the doors\n2. Tills\n3. Float\n' })]]);
    const mine = run(
      edit({ body: '1. Unlock\n2. Tills\n3. Count the float\n', version: 4 }, undefined, { version: 3, body: seen }),
      rows,
      ctxFor('bob'),
    );
    expect(mine).toMatchObject({ outcome: 'merged', code: 'MERGED_CONCURRENT_EDITS' });
    expect(rows.get('documents', DOC_ID)).toMatchObject({
      body: '1. Unlock the doors\n2. Tills\n3. Count the float\n',
      version: 5,
      updated_by: 'bob',
    });
    const same = run(
      edit({ body: '1. Open up\n2. Tills\n3. Float\n', version: 4 }, undefined, { version: 3, body: seen }),
      rows,
      ctxFor('alice'),
    );
    expect(same).toMatchObject({ outcome: 'conflict', code: 'OVERLAPPING_EDITS' });
    expect(rows.get('documents', DOC_ID)).toMatchObject({ version: 5 });
  });

  it('accepts exactly one of two edits made on the same version', () => {
    const rows = rowsOf([['documents', doc()]]);
    const a = run(edit({ body: 'A', version: 4 }, { version: 3 }), rows, ctxFor('alice'));
    const b = run(edit({ body: 'B', version: 4 }, { version: 3 }), rows, ctxFor('bob'));
    expect([a.outcome, b.outcome]).toEqual(['applied', 'conflict']);
    expect(rows.get('documents', DOC_ID)).toMatchObject({ body: 'A', version: 4 });
  });

  it('applies a chain of offline edits 3→4→5', () => {
    const rows = rowsOf([['documents', doc()]]);
    expect(run(edit({ body: 'x', version: 4 }, { version: 3 }), rows, ctxFor('bob')).outcome).toBe('applied');
    expect(run(edit({ body: 'y', version: 5 }, { version: 4 }), rows, ctxFor('bob')).outcome).toBe('applied');
    expect(rows.get('documents', DOC_ID)).toMatchObject({ body: 'y', version: 5 });
  });

  it.each([
    ['no base version', { body: 'x', version: 4 }, undefined, 'MISSING_BASE_VERSION'],
    ['no new version', { body: 'x' }, { version: 3 }, 'MISSING_VERSION_TOKEN'],
    ['a version that is not base + 1', { body: 'x', version: 9 }, { version: 3 }, 'INVALID_VERSION_TOKEN'],
  ])('rejects an edit with %s', (_, data, old, code) => {
    const rows = rowsOf([['documents', doc()]]);
    expect(run(edit(data, old), rows, ctxFor('bob'))).toMatchObject({ outcome: 'rejected', code });
  });

  it('creates documents at version 1 only', () => {
    const rows = rowsOf([], [['documents', DOC_ID]]);
    const put = (version: number) =>
      operation({ op: 'PUT', type: 'documents', id: DOC_ID, data: { title: 'T', version } });
    expect(run(put(2), rows, ctxFor('bob'))).toMatchObject({ outcome: 'rejected', code: 'INVALID_VERSION_TOKEN' });
    expect(run(put(1), rows, ctxFor('bob')).outcome).toBe('applied');
    expect(rows.get('documents', DOC_ID)).toMatchObject({ version: 1, created_by: 'bob', body: '' });
  });
});

describe('document_revisions: written by the engine only', () => {
  it('refuses any client write, whoever sends it', () => {
    const revision = {
      row_id: DOC_ID,
      version: 9,
      title: 'Forged',
      body: 'Forged',
      kind: 'edit',
      author_id: 'alice',
      created_at: NOW,
    };
    const id = '2f000000-0000-4000-8000-0000000000ff';
    for (const user of ['alice', 'carol', 'rita']) {
      const rows = rowsOf([], [['document_revisions', id]]);
      const put = operation({ op: 'PUT', type: 'document_revisions', id, data: revision });
      expect(run(put, rows, ctxFor(user))).toMatchObject({ outcome: 'rejected', code: 'READ_ONLY_TABLE' });
    }
  });
});
