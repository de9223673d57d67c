import type { TableName } from '@cr/demo-domain';
import type { AbstractPowerSyncDatabase } from '@powersync/web';
import { type EditContext, editValues, type Row } from './edit-base.ts';
import { updateStatement } from './values.ts';

/**
 * Saves an edit made on `base` (what the form showed when it opened): only `changes`, with the
 * version and `_metadata.base` derived from the base (edit-base.ts). Returns false when there was
 * nothing to save.
 */
export async function saveEdit(
  db: AbstractPowerSyncDatabase,
  table: TableName,
  base: Row,
  changes: Record<string, unknown>,
  ctx: EditContext,
): Promise<boolean> {
  const values = editValues(table, base, changes, ctx);
  if (values === null) return false;
  await db.execute(...updateStatement(table, values, base.id));
  return true;
}
