import type { TaskRow } from '@cr/demo-domain';
import { useQuery } from '@powersync/react';
import { useMemo } from 'react';
import { useSession } from '../session/session-context.ts';
import { type FieldChange, type Overlaid, overlayPendingChanges } from './field-change-overlay.ts';

export type Task = Pick<
  TaskRow,
  | 'id'
  | 'title'
  | 'description'
  | 'status'
  | 'priority'
  | 'due_date'
  | 'assignee_id'
  | 'modified_at'
  | 'modified_by'
  | 'created_at'
>;

export interface TaskView {
  /** The row as synced (what a direct edit is based on). */
  row: Task;
  /** The row with the user's pending tracked changes on top. */
  shown: Overlaid<Task>;
  changes: FieldChange[];
}

/** Tasks (watched), each with the signed-in user's tracked field changes overlaid. */
export function useTasks(): TaskView[] {
  const { user } = useSession();
  const { data: tasks } = useQuery<Task>(
    `SELECT id, title, description, status, priority, due_date, assignee_id, modified_at, modified_by, created_at
       FROM tasks ORDER BY created_at DESC, id`,
  );
  const { data: changes } = useQuery<FieldChange>(
    `SELECT id, row_id, field_name, new_value, status, error_code, error_message, created_at, updated_at
       FROM field_changes WHERE user_id = ? AND table_name = 'tasks' ORDER BY created_at DESC`,
    [user.id],
  );
  return useMemo(() => {
    const byRow = new Map<string, FieldChange[]>();
    for (const change of changes) byRow.set(change.row_id, [...(byRow.get(change.row_id) ?? []), change]);
    return tasks.map((row) => {
      const mine = byRow.get(row.id) ?? [];
      return { row, shown: overlayPendingChanges(row, mine), changes: mine };
    });
  }, [tasks, changes]);
}
