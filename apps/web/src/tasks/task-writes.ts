import { parseTimestamp, type TaskRow } from '@cr/schema';
import type { AbstractPowerSyncDatabase } from '@powersync/web';
import { updateStatement } from '../ui/changed-fields.ts';
import { newId } from '../ui/ids.ts';

/** Fields of a task a person edits (the rest is bookkeeping). */
export const TASK_FIELDS = ['title', 'description', 'status', 'priority', 'due_date', 'assignee_id'] as const;
export type TaskField = (typeof TASK_FIELDS)[number];
export type TaskValues = Pick<TaskRow, TaskField>;

/**
 * The `modified_at` of an edit: now, but strictly later than the version it replaces, so the
 * server can tell the new version from the old even when clocks disagree (strategy 1).
 */
export function nextModifiedAt(current: string | null | undefined, nowMs: number): string {
  const previous = current ? parseTimestamp(current) : null;
  return new Date(Math.max(nowMs, previous === null ? nowMs : previous + 1)).toISOString();
}

export async function createTask(db: AbstractPowerSyncDatabase, userId: string, title: string): Promise<string> {
  const id = newId();
  const now = new Date().toISOString();
  await db.execute(
    `INSERT INTO tasks (id, title, description, status, priority, due_date, assignee_id,
                        created_by, created_at, modified_at, modified_by)
     VALUES (?, ?, '', 'todo', 3, NULL, NULL, ?, ?, ?, ?)`,
    [id, title, userId, now, now, userId],
  );
  return id;
}

/**
 * A direct edit of the task row (the quick edit): only the changed fields, with a new
 * modified_at. The upload carries the modified_at it was made on (trackPrevious), so the server
 * detects a stale edit and records a conflict instead of overwriting.
 */
export async function updateTask(
  db: AbstractPowerSyncDatabase,
  task: Pick<TaskRow, 'id' | 'modified_at'>,
  changes: Partial<TaskValues>,
  userId: string,
): Promise<void> {
  if (Object.keys(changes).length === 0) return;
  const values = { ...changes, modified_at: nextModifiedAt(task.modified_at, Date.now()), modified_by: userId };
  await db.execute(...updateStatement('tasks', values, task.id));
}
