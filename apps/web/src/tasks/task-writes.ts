import type { AbstractPowerSyncDatabase } from '@powersync/web';
import { newId } from '../ui/ids.ts';

/** A new task with the given title (edits go through edits/write-edit.ts). */
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
