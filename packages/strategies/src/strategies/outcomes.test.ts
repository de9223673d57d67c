import { describe, expect, it } from 'vitest';
import { conflictRow, rejectionRow } from '../outcome-rows.ts';
import { ctxFor, ID, NOW, operation, policy, rowsOf, run, todo } from '../testing/test-policy.ts';
import type { Row } from '../types.ts';
import { processFieldChange } from './track-changes.ts';

describe('rules(validate)', () => {
  it('applies what the rules accept and refuses what they refuse, with the app’s code', () => {
    const ticket = { id: ID.ticket, subject: 'Broken tap', state: 'open' };
    const rows = rowsOf([['tickets', ticket]]);
    const close = operation({ op: 'PATCH', type: 'tickets', id: ID.ticket, data: { state: 'closed' } });
    expect(run(close, rows, ctxFor('will')).outcome).toBe('applied');
    const reopen = operation({ op: 'PATCH', type: 'tickets', id: ID.ticket, data: { state: 'open' } });
    expect(run(reopen, rows, ctxFor('will'))).toMatchObject({ code: 'TICKET_CLOSED' });
    const missing = operation({ op: 'PATCH', type: 'tickets', id: ID.page, data: { state: 'open' } });
    expect(run(missing, rows, ctxFor('will'))).toMatchObject({
      code: 'ROW_NOT_FOUND',
      message: `Ticket ${ID.page} does not exist on the server (it may have been deleted).`,
    });
  });
});

describe('recordConflicts({ reviewers })', () => {
  const server = todo({ text: 'Theirs', changed_at: '2026-11-20T08:00:00.000Z', changed_by: 'eve' });
  const conflict = (o: Partial<Row> = {}): Row => ({
    ...conflictRow(
      ID.conflict,
      { opId: 7, op: 'PATCH', table: 'todos', id: ID.todo },
      { strategy: 'timestamp', clientValues: { text: 'Mine' }, serverValues: server, baseValues: null },
      'STALE_WRITE',
      'stale',
      ctxFor('will'),
    ),
    ...o,
  });
  const resolve = (data: Record<string, unknown>) =>
    operation({ op: 'PATCH', type: 'write_conflicts', id: ID.conflict, data });

  it('lets the owner or a reviewing role keep theirs, bumping the version; nobody else', () => {
    const rows = rowsOf([
      ['todos', server],
      ['write_conflicts', conflict()],
    ]);
    expect(policy.related(resolve({}), rows)).toEqual([{ table: 'todos', id: ID.todo }]);
    expect(run(resolve({ status: 'resolved', resolution: 'mine' }), rows, ctxFor('eve'))).toMatchObject({
      code: 'NOT_OWNER',
      message: 'Only the person whose edit conflicted, or a moderator, can resolve this conflict.',
    });
    expect(run(resolve({ status: 'resolved', resolution: 'mine' }), rows, ctxFor('mo')).outcome).toBe('applied');
    expect(rows.get('todos', ID.todo)).toMatchObject({ text: 'Mine', changed_at: NOW, changed_by: 'mo' });
  });

  it('refuses a resolution of a row that changed since, and refreshes what it shows', () => {
    const newer = { ...server, text: 'Newer', changed_at: '2026-11-21T08:00:00.000Z' };
    const rows = rowsOf([
      ['todos', newer],
      ['write_conflicts', conflict()],
    ]);
    expect(run(resolve({ status: 'resolved', resolution: 'server' }), rows, ctxFor('will'))).toMatchObject({
      code: 'STALE_RESOLUTION',
    });
    expect(rows.get('write_conflicts', ID.conflict)).toMatchObject({ status: 'open', server_values: newer });
  });

  it('runs the target table’s rules on the values it writes', () => {
    const rows = rowsOf([
      ['todos', server],
      ['write_conflicts', conflict()],
    ]);
    const merged = resolve({
      status: 'resolved',
      resolution: 'merged',
      resolved_values: JSON.stringify({ text: ' ' }),
    });
    expect(run(merged, rows, ctxFor('will'))).toMatchObject({ code: 'RULE_VIOLATION' });
  });
});

describe('trackChanges() and processFieldChange', () => {
  const change = (field: string, value: unknown, extra: Record<string, unknown> = {}) =>
    operation({
      op: 'PUT',
      type: 'field_changes',
      id: ID.change,
      data: {
        table_name: 'todos',
        row_id: ID.todo,
        field_name: field,
        new_value: JSON.stringify(value),
        status: 'pending',
        ...extra,
      },
    });

  it('records a change of a tracked field as pending, and the worker applies it with a new version', () => {
    const rows = rowsOf([['todos', todo()]], [['field_changes', ID.change]]);
    expect(run(change('text', 'Feed the cat'), rows, ctxFor('will')).outcome).toBe('applied');
    const pending = rows.get('field_changes', ID.change) as Row;
    expect(pending).toMatchObject({ status: 'pending', user_id: 'will', created_at: NOW });
    const later = ctxFor('will', { now: '2026-11-22T12:00:05.000Z' });
    const result = processFieldChange(policy, pending, rows.get('todos', ID.todo), later);
    rows.apply(result.writes);
    expect(rows.get('todos', ID.todo)).toMatchObject({
      text: 'Feed the cat',
      changed_at: '2026-11-22T12:00:05.000Z',
      changed_by: 'will',
    });
    expect(rows.get('field_changes', ID.change)).toMatchObject({ status: 'applied', attempts: 1 });
  });

  it('refuses untracked fields and tables at upload, and fails by the table rules in the worker', () => {
    const rows = () => rowsOf([['todos', todo()]], [['field_changes', ID.change]]);
    expect(run(change('changed_by', 'x'), rows(), ctxFor('will'))).toMatchObject({ code: 'FIELD_NOT_TRACKED' });
    expect(run(change('title', 'x', { table_name: 'pages' }), rows(), ctxFor('will'))).toMatchObject({
      code: 'UNKNOWN_TABLE',
    });
    expect(run(change('text', 'x'), rows(), ctxFor('rae'))).toMatchObject({ code: 'TABLE_NOT_PERMITTED' });
    const set = rows();
    run(change('text', '  '), set, ctxFor('will'));
    const failed = processFieldChange(policy, set.get('field_changes', ID.change) as Row, todo(), ctxFor('will'));
    expect(failed).toMatchObject({ status: 'failed', code: 'RULE_VIOLATION', message: 'A todo needs words.' });
  });
});

describe('acknowledge() and readOnly()', () => {
  it('lets only the owner dismiss a rejection, and nobody write a read-only table', () => {
    const row = rejectionRow(
      ID.rejection,
      { opId: 1, op: 'PATCH', table: 'todos', id: 'x', data: {} },
      'C',
      'm',
      ctxFor('will'),
    );
    const rows = rowsOf([['rejections', row]]);
    const dismiss = operation({ op: 'PATCH', type: 'rejections', id: ID.rejection, data: { dismissed_at: NOW } });
    expect(run(dismiss, rows, ctxFor('eve'))).toMatchObject({ code: 'NOT_OWNER' });
    expect(run(dismiss, rows, ctxFor('will')).outcome).toBe('applied');
    const member = operation({ op: 'PATCH', type: 'members', id: 'eve', data: {} });
    expect(run(member, rowsOf([['members', { id: 'eve', name: 'Eve', role: 'editor' }]]), ctxFor('mo'))).toMatchObject({
      code: 'READ_ONLY_TABLE',
    });
  });
});
