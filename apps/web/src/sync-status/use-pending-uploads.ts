import { useQuery } from '@powersync/react';

/** Local writes not yet accepted by the server: rows of PowerSync's upload queue (ps_crud). */
export function usePendingUploads(): number {
  const { data } = useQuery<{ count: number }>('SELECT count(*) AS count FROM ps_crud');
  return data[0]?.count ?? 0;
}
