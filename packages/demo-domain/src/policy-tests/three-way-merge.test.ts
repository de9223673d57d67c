import { describe, expect, it } from 'vitest';
import { ctxFor, DOC_ID, doc, NOW, operation, rowsOf, run } from './fixtures.ts';

const edit = (data: Record<string, unknown>, old?: Record<string, unknown>) =>
  operation({ op: 'PATCH', type: 'documents', id: DOC_ID, data, old });

describe('strategy 2: sequence-number versioning (documents)', () => {
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

  it('records a conflict when the client edited another version', () => {
    const server = doc({ version: 5, body: 'Server body' });
    const rows = rowsOf([['documents', server]]);
    const decision = run(edit({ body: 'Mine', version: 4 }, { version: 3 }), rows, ctxFor('bob'));
    expect(decision).toMatchObject({
      outcome: 'conflict',
      code: 'VERSION_MISMATCH',
      conflict: { strategy: 'version' },
    });
    expect(rows.get('documents', DOC_ID)).toEqual(server);
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
