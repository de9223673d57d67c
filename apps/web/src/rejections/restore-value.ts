import type { Role } from '@cr/demo-domain';
import type { Row } from '@cr/strategies';
import type { AbstractPowerSyncDatabase } from '@powersync/web';
import { saveEdit } from '../edits/write-edit.ts';
import type { NotApplied } from './describe-rejection.ts';

/**
 * Puts a value that lost to a later edit back, as a new edit of the record as it is now (the user
 * has just read the newer value in the refusal): it goes through the table's strategy like any
 * other edit.
 */
export async function restoreValue(
  db: AbstractPowerSyncDatabase,
  user: { id: string; role: Role },
  entry: NotApplied,
  rowId: string,
): Promise<void> {
  if (entry.table !== 'patients') throw new Error(`restoring a ${entry.table} value is not supported`);
  const row = await db.getOptional<Row>('SELECT * FROM patients WHERE id = ?', [rowId]);
  if (row === null) return;
  const now = new Date().toISOString();
  await saveEdit(db, 'patients', row, { [entry.field]: entry.value }, { user, now, metadata: { edited_at: now } });
}
