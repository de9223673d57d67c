import type { AbstractPowerSyncDatabase } from '@powersync/web';
import { newId } from '../ui/ids.ts';

/**
 * The task editor's writes (strategy 6): one field_changes row per edited field, in one local
 * transaction, and nothing else. The server's worker applies each change to the task or fails it
 * with a reason; the editor shows the pending values from these rows in the meantime.
 */
export async function recordFieldChanges(
  db: AbstractPowerSyncDatabase,
  userId: string,
  table: string,
  rowId: string,
  changes: Record<string, unknown>,
): Promise<void> {
  const entries = Object.entries(changes);
  if (entries.length === 0) return;
  const now = new Date().toISOString();
  await db.writeTransaction(async (tx) => {
    for (const [field, value] of entries) {
      await tx.execute(
        `INSERT INTO field_changes (id, user_id, table_name, row_id, field_name, new_value, status, attempts,
                                    created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)`,
        [newId(), userId, table, rowId, field, JSON.stringify(value ?? null), now, now],
      );
    }
  });
}

/**
 * Retry of a failed change: back to pending, with the corrected value. Only new_value and status
 * may change (the server refuses anything else); the old reason is hidden while pending. Only a
 * change that is failed here is touched: a second click (or a retry from another tab) finds it
 * pending and writes nothing, so the server never answers ALREADY_APPLIED to a retry.
 */
export async function retryFieldChange(db: AbstractPowerSyncDatabase, changeId: string, value: unknown): Promise<void> {
  await db.execute(`UPDATE field_changes SET new_value = ?, status = 'pending' WHERE id = ? AND status = 'failed'`, [
    JSON.stringify(value ?? null),
    changeId,
  ]);
}

/**
 * Discards a failed change: deleted here and, once uploaded, on the server (the author may
 * delete a change that was never applied). The task keeps the value the server has.
 */
export async function discardFieldChange(db: AbstractPowerSyncDatabase, changeId: string): Promise<void> {
  await db.execute(`DELETE FROM field_changes WHERE id = ? AND status = 'failed'`, [changeId]);
}
