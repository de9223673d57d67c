import type { AbstractPowerSyncDatabase } from '@powersync/web';
import { updateStatement } from '../ui/changed-fields.ts';
import { newId } from '../ui/ids.ts';

export async function createDocument(
  db: AbstractPowerSyncDatabase,
  userId: string,
  title: string,
  body: string,
): Promise<void> {
  const now = new Date().toISOString();
  await db.execute(
    `INSERT INTO documents (id, title, body, version, created_by, created_at, updated_by, updated_at)
     VALUES (?, ?, ?, 1, ?, ?, ?, ?)`,
    [newId(), title, body, userId, now, userId, now],
  );
}

/**
 * Saves an edit as the next version (strategy 2): the upload carries the version it was made on
 * (trackPrevious), so of two edits of the same version the server applies one and records the
 * other as a conflict. The version is bumped here, so a chain of offline edits applies in order.
 */
export async function saveDocument(
  db: AbstractPowerSyncDatabase,
  id: string,
  changes: { title?: string; body?: string },
  userId: string,
): Promise<void> {
  if (Object.keys(changes).length === 0) return;
  const [sql, params] = updateStatement(
    'documents',
    { ...changes, updated_by: userId, updated_at: new Date().toISOString() },
    id,
  );
  await db.execute(sql.replace(' WHERE id = ?', ', version = version + 1 WHERE id = ?'), params);
}
