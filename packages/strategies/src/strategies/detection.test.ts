import { describe, expect, it } from 'vitest';
import { ctxFor, ID, NOW, operation, page, rowsOf, run, todo } from '../testing/test-policy.ts';

describe('timestamp({ column })', () => {
  const edit = (base: string, data: Record<string, unknown> = {}) =>
    operation({
      op: 'PATCH',
      type: 'todos',
      id: ID.todo,
      data: { text: 'Mine', changed_at: '2026-11-22T10:00:00.000Z', ...data },
      old: { changed_at: base },
    });

  it('applies an edit made on the current version and records a stale one as a conflict', () => {
    const rows = rowsOf([['todos', todo()]]);
    expect(run(edit('2026-11-01T09:00:00.000Z'), rows, ctxFor('will')).outcome).toBe('applied');
    expect(rows.get('todos', ID.todo)).toMatchObject({ text: 'Mine', changed_by: 'will' });
    const stale = run(edit('2026-11-01T09:00:00.000Z', { text: 'Late' }), rows, ctxFor('eve'));
    expect(stale).toMatchObject({
      outcome: 'conflict',
      code: 'STALE_WRITE',
      message:
        'This todo was changed on the server (at 2026-11-22T10:00:00.000Z by will) after the version you edited (2026-11-01T09:00:00.000Z).',
    });
    expect(rows.get('todos', ID.todo)?.text).toBe('Mine');
  });

  it('refuses an edit without a base, and runs the table rules', () => {
    const rows = rowsOf([['todos', todo()]]);
    const bare = operation({ op: 'PATCH', type: 'todos', id: ID.todo, data: { text: 'x', changed_at: NOW } });
    expect(run(bare, rows, ctxFor('will'))).toMatchObject({ code: 'MISSING_BASE_VERSION' });
    expect(run(edit('2026-11-01T09:00:00.000Z', { text: ' ' }), rows, ctxFor('will'))).toMatchObject({
      code: 'RULE_VIOLATION',
      message: 'A todo needs words.',
    });
  });
});

describe('version({ column })', () => {
  const edit = (base: number, next = base + 1) =>
    operation({ op: 'PATCH', type: 'pages', id: ID.page, data: { content: 'Mine', rev: next }, old: { rev: base } });

  it('applies one of two edits of the same version and records the other', () => {
    const rows = rowsOf([['pages', page()]]);
    expect(run(edit(3), rows, ctxFor('will')).outcome).toBe('applied');
    expect(run(edit(3), rows, ctxFor('eve'))).toMatchObject({
      outcome: 'conflict',
      code: 'VERSION_MISMATCH',
      message: 'You edited version 3, but the server is at version 4 (last changed by will).',
    });
    expect(rows.get('pages', ID.page)).toMatchObject({ rev: 4, updated_by: 'will', updated_at: NOW });
  });

  it('wants the next version set, and a new row at 1', () => {
    const rows = rowsOf([['pages', page()]]);
    expect(run(edit(3, 7), rows, ctxFor('will'))).toMatchObject({ code: 'INVALID_VERSION_TOKEN' });
    const put = operation({ op: 'PUT', type: 'pages', id: ID.page.replace('b0', 'b1'), data: { title: 'N', rev: 2 } });
    expect(run(put, rows, ctxFor('will'))).toMatchObject({ code: 'INVALID_VERSION_TOKEN' });
    expect(
      run(operation({ op: 'PUT', type: 'pages', id: ID.page, data: { title: 'N' } }), rows, ctxFor('will')),
    ).toMatchObject({
      outcome: 'conflict',
      code: 'ROW_EXISTS',
    });
  });
});
