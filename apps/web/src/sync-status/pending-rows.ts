import { useQuery } from '@powersync/react';
import { createContext, createElement, type ReactNode, useContext, useMemo } from 'react';

/**
 * Rows with edits in PowerSync's upload queue (ps_crud: `data` is the CrudEntry as JSON), keyed
 * `table:id`. A tracked field change also marks the row it changes. One watched query per session.
 */
const PENDING_ROWS_SQL = `
  SELECT json_extract(data, '$.type') AS type, json_extract(data, '$.id') AS id FROM ps_crud
  UNION
  SELECT json_extract(data, '$.data.table_name'), json_extract(data, '$.data.row_id') FROM ps_crud
   WHERE json_extract(data, '$.type') = 'field_changes' AND json_extract(data, '$.data.row_id') IS NOT NULL`;

const PendingRowsContext = createContext<ReadonlySet<string>>(new Set());

export function PendingRowsProvider(props: { children: ReactNode }) {
  const { data } = useQuery<{ type: string; id: string }>(PENDING_ROWS_SQL);
  const keys = useMemo(() => new Set(data.map((row) => `${row.type}:${row.id}`)), [data]);
  return createElement(PendingRowsContext.Provider, { value: keys }, props.children);
}

/** Whether this row has edits made here that the server has not accepted yet. */
export function useRowPending(table: string, id: string): boolean {
  return useContext(PendingRowsContext).has(`${table}:${id}`);
}
