import type { Row } from '@cr/strategies';
import { conflictRow } from '@cr/strategies';
import { describe, expect, it } from 'vitest';
import { ctxFor, DOC_ID, doc, NOW, operation, rowsOf, run, TASK_ID, task } from './fixtures.ts';

const CONFLICT_ID = '60000000-0000-4000-8000-000000000001';
const SERVER = task({ title: 'Server title', modified_at: '2026-11-20T08:00:00.000Z', modified_by: 'alice' });

function taskConflict(overrides: Partial<Row> = {}): Row {
  return {
    ...conflictRow(
      CONFLICT_ID,
      { opId: 7, op: 'PATCH', table: 'tasks', id: TASK_ID },
      {
        strategy: 'timestamp',
        clientValues: { title: 'My title', modified_at: '2026-11-22T10:00:00.000Z' },
        serverValues: SERVER,
        baseValues: { modified_at: '2026-11-01T09:00:00.000Z' },
      },
      'STALE_WRITE',
      'stale',
      ctxFor('bob'),
    ),
    ...overrides,
  };
}

const resolve = (data: Record<string, unknown>, op: 'PATCH' | 'PUT' = 'PATCH') =>
  operation({ op, type: 'write_conflicts', id: CONFLICT_ID, data });

describe('strategy 5: resolving a recorded conflict', () => {
  it('keeps mine: applies the client values over the server row, bumps the version, marks it resolved', () => {
    const rows = rowsOf([
      ['tasks', SERVER],
      ['write_conflicts', taskConflict()],
    ]);
    expect(run(resolve({ status: 'resolved', resolution: 'mine' }), rows, ctxFor('bob')).outcome).toBe('applied');
    const after = rows.get('tasks', TASK_ID);
    expect(after).toMatchObject({ title: 'My title', modified_by: 'bob', modified_at: NOW });
    expect(rows.get('write_conflicts', CONFLICT_ID)).toMatchObject({
      status: 'resolved',
      resolution: 'mine',
      resolved_by: 'bob',
      resolved_values: { title: 'My title' },
    });
  });

  it('keeps the server version: the row is left as it is', () => {
    const rows = rowsOf([
      ['tasks', SERVER],
      ['write_conflicts', taskConflict()],
    ]);
    expect(run(resolve({ status: 'resolved', resolution: 'server' }), rows, ctxFor('rita')).outcome).toBe('applied');
    expect(rows.get('tasks', TASK_ID)).toEqual(SERVER);
    expect(rows.get('write_conflicts', CONFLICT_ID)).toMatchObject({ status: 'resolved', resolved_by: 'rita' });
  });

  it('merges field by field', () => {
    const rows = rowsOf([
      ['tasks', SERVER],
      ['write_conflicts', taskConflict()],
    ]);
    const merged = resolve({
      status: 'resolved',
      resolution: 'merged',
      resolved_values: JSON.stringify({ title: 'Both', priority: 1 }),
    });
    expect(run(merged, rows, ctxFor('bob')).outcome).toBe('applied');
    expect(rows.get('tasks', TASK_ID)).toMatchObject({ title: 'Both', priority: 1 });
  });

  it('versions a resolved document with version + 1', () => {
    const server = doc({ version: 5 });
    const conflict = taskConflict({
      table_name: 'documents',
      row_id: DOC_ID,
      client_values: { body: 'Mine', version: 4 },
      server_values: server,
    });
    const rows = rowsOf([
      ['documents', server],
      ['write_conflicts', conflict],
    ]);
    expect(run(resolve({ status: 'resolved', resolution: 'mine' }), rows, ctxFor('bob')).outcome).toBe('applied');
    expect(rows.get('documents', DOC_ID)).toMatchObject({ body: 'Mine', version: 6 });
  });

  it('refuses a resolution made on a server version that changed since, and refreshes it', () => {
    const newer = { ...SERVER, title: 'Changed again', modified_at: '2026-11-21T08:00:00.000Z' };
    const rows = rowsOf([
      ['tasks', newer],
      ['write_conflicts', taskConflict()],
    ]);
    expect(run(resolve({ status: 'resolved', resolution: 'mine' }), rows, ctxFor('bob'))).toMatchObject({
      outcome: 'rejected',
      code: 'STALE_RESOLUTION',
    });
    expect(rows.get('tasks', TASK_ID)).toEqual(newer);
    expect(rows.get('write_conflicts', CONFLICT_ID)).toMatchObject({ status: 'open', server_values: newer });
  });

  it.each([
    ['someone who is neither owner nor reviewer', 'alice', {}, 'NOT_OWNER'],
    [
      'an already resolved conflict',
      'bob',
      { status: 'resolved', resolution: 'server', resolved_by: 'rita' },
      'ALREADY_RESOLVED',
    ],
  ])('refuses %s', (_, user, overrides, code) => {
    const rows = rowsOf([
      ['tasks', SERVER],
      ['write_conflicts', taskConflict(overrides)],
    ]);
    expect(run(resolve({ status: 'resolved', resolution: 'mine' }), rows, ctxFor(user))).toMatchObject({ code });
    expect(rows.get('tasks', TASK_ID)).toEqual(SERVER);
  });

  it('refuses a resolution without a choice, an invalid merged value, a deleted target and a client insert', () => {
    const rows = () =>
      rowsOf([
        ['tasks', SERVER],
        ['write_conflicts', taskConflict()],
      ]);
    expect(run(resolve({ status: 'resolved' }), rows(), ctxFor('bob'))).toMatchObject({ code: 'INVALID_RESOLUTION' });
    const bad = resolve({ status: 'resolved', resolution: 'merged', resolved_values: '{"priority":9}' });
    expect(run(bad, rows(), ctxFor('bob'))).toMatchObject({ code: 'INVALID_VALUE' });
    const gone = rowsOf([['write_conflicts', taskConflict()]], [['tasks', TASK_ID]]);
    expect(run(resolve({ status: 'resolved', resolution: 'mine' }), gone, ctxFor('bob'))).toMatchObject({
      code: 'TARGET_DELETED',
    });
    expect(run(resolve({ status: 'open' }, 'PUT'), rows(), ctxFor('bob'))).toMatchObject({
      code: 'SERVER_OWNED_TABLE',
    });
  });

  it.each(['mine', 'server'] as const)(
    'checks staleness before keep %s of a DELETE conflict: an edit made since is never lost',
    (resolution) => {
      const edited = { ...SERVER, title: 'Edited since', modified_at: '2026-11-21T08:00:00.000Z' };
      const rows = rowsOf([
        ['tasks', edited],
        ['write_conflicts', taskConflict({ operation: 'DELETE', client_values: {} })],
      ]);
      const decision = run(resolve({ status: 'resolved', resolution }), rows, ctxFor('bob'));
      expect(decision).toMatchObject({ outcome: 'rejected', code: 'STALE_RESOLUTION' });
      expect(rows.get('tasks', TASK_ID)).toEqual(edited);
      expect(rows.get('write_conflicts', CONFLICT_ID)).toMatchObject({ status: 'open', server_values: edited });
    },
  );

  it('keep mine of a DELETE conflict on the version it saw deletes the row; on a row deleted since, just closes', () => {
    const rows = rowsOf([
      ['tasks', SERVER],
      ['write_conflicts', taskConflict({ operation: 'DELETE', client_values: {} })],
    ]);
    expect(run(resolve({ status: 'resolved', resolution: 'mine' }), rows, ctxFor('bob')).outcome).toBe('applied');
    expect(rows.get('tasks', TASK_ID)).toBeNull();
    const gone = rowsOf(
      [['write_conflicts', taskConflict({ operation: 'DELETE', client_values: {} })]],
      [['tasks', TASK_ID]],
    );
    expect(run(resolve({ status: 'resolved', resolution: 'mine' }), gone, ctxFor('bob')).outcome).toBe('applied');
    expect(gone.get('write_conflicts', CONFLICT_ID)).toMatchObject({ status: 'resolved' });
  });

  it('compares the version as a version, whatever its spelling (server values stored by Postgres)', () => {
    // A conflict recorded by another writer: its server values hold Postgres's spelling of the time.
    const spelled = { ...SERVER, modified_at: '2026-11-20T08:00:00+00:00' };
    const rows = rowsOf([
      ['tasks', SERVER],
      ['write_conflicts', taskConflict({ server_values: spelled })],
    ]);
    expect(run(resolve({ status: 'resolved', resolution: 'server' }), rows, ctxFor('rita')).outcome).toBe('applied');
  });
});
