import type { AbstractPowerSyncDatabase } from '@powersync/web';
import { newId } from '../ui/ids.ts';

/** A new document at version 1 (edits go through edits/write-edit.ts, on the version they opened). */
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
