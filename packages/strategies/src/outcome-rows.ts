import type { ConflictDraft, Context, DroppedField, Operation, Row } from './types.ts';

/** The write_conflicts row for a conflict decision. The engine supplies the new row's id. */
export function conflictRow(
  id: string,
  op: Pick<Operation, 'opId' | 'op' | 'table' | 'id'>,
  draft: ConflictDraft,
  code: string,
  message: string,
  ctx: Context,
): Row {
  return {
    id,
    user_id: ctx.user.id,
    table_name: op.table,
    row_id: op.id,
    operation: op.op,
    strategy: draft.strategy,
    code,
    message,
    client_values: draft.clientValues,
    server_values: draft.serverValues,
    base_values: draft.baseValues,
    status: 'open',
    resolution: null,
    resolved_values: null,
    resolved_by: null,
    resolved_at: null,
    client_id: ctx.clientId,
    op_id: op.opId,
    created_at: ctx.now,
  };
}

/** A rejections row: what was refused (or dropped), for the user who tried it. */
export function rejectionRow(
  id: string,
  entry: { opId: number; op: string; table: string; id: string; data: unknown },
  code: string,
  message: string,
  ctx: Context,
): Row {
  return {
    id,
    user_id: ctx.user.id,
    client_id: ctx.clientId,
    op_id: entry.opId,
    table_name: entry.table,
    row_id: entry.id,
    operation: entry.op,
    code,
    message,
    data: entry.data === undefined ? null : entry.data,
    created_at: ctx.now,
    dismissed_at: null,
  };
}

/** The data recorded for a field edit that lost to a newer value. */
export function droppedData(dropped: DroppedField): Record<string, unknown> {
  return { field: dropped.field, attempted: dropped.attempted, kept: dropped.kept };
}
