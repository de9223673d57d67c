import { useRowPending } from './pending-rows.ts';

/** A mark on a row whose edits are saved on this device but not yet accepted by the server. */
export function PendingMark(props: { table: string; id: string }) {
  if (!useRowPending(props.table, props.id)) return null;
  return (
    <span className="chip chip-unsynced" data-testid="row-pending" title="Saved on this device; not uploaded yet">
      not uploaded yet
    </span>
  );
}
