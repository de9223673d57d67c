import type { TableName } from '@cr/demo-domain';
import type { ClientInfo, ClientRead } from '../history.ts';
import type { RowHistory } from '../observer.ts';
import { rowDigest, rowKey, type Values } from '../rows.ts';

/** Small hand-made histories and reads for the checkers' self-tests. */

export const ALICE: ClientInfo = { name: 'c1', user: 'alice', role: 'clerk', psClientId: 'ps-alice' };
export const RITA: ClientInfo = { name: 'c2', user: 'rita', role: 'reviewer', psClientId: 'ps-rita' };

export function task(id: string, title: string): Values {
  return {
    id,
    title,
    description: '',
    status: 'todo',
    priority: '3',
    due_date: null,
    assignee_id: null,
    created_by: 'alice',
    created_at: '2026-11-01 08:00:00+00',
    modified_at: '2026-11-01 08:00:00+00',
    modified_by: 'alice',
  };
}

export function rejection(id: string, user: string): Values {
  return {
    id,
    user_id: user,
    client_id: 'ps',
    op_id: '1',
    table_name: 'tasks',
    row_id: 'x',
    operation: 'PATCH',
    code: 'TEST',
    message: 'refused',
    data: null,
    created_at: '2026-11-01 08:00:00+00',
    dismissed_at: null,
  };
}

/** A row's history from [seq, values] pairs (values null: deleted). */
export function history(table: TableName, id: string, versions: [number, Values | null][]): RowHistory {
  return { table, id, versions: versions.map(([seq, values]) => ({ seq, values })) };
}

/** A read holding `rows` (table, values) of each priority. */
export function read(
  client: ClientInfo,
  at: number,
  rows: { p1?: [TableName, Values][]; p3?: [TableName, Values][] },
  excluded: string[] = [],
): ClientRead {
  const group = (list: [TableName, Values][] = []) =>
    new Map(list.map(([table, values]) => [rowKey(table, String(values.id)), rowDigest(table, values)]));
  return {
    client: client.name,
    at,
    groups: [
      { priority: 1, rows: group(rows.p1) },
      { priority: 3, rows: group(rows.p3) },
    ],
    excluded: new Set(excluded),
    queueEmpty: true,
  };
}
