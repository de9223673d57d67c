import { type EditContext, editValues, localUpdate } from '@cr/connector-kit';
import { policy, type TableName } from '@cr/demo-domain';
import type { Row } from '@cr/strategies';
import type { AbstractPowerSyncDatabase } from '@powersync/web';

/**
 * Saves an edit made on `base` (what the form showed when it opened): only `changes`, with the
 * version and `_metadata.base` derived from the base by the table's strategy (@cr/connector-kit
 * edits.ts). Returns false when there was nothing to save.
 */
export async function saveEdit(
  db: AbstractPowerSyncDatabase,
  table: TableName,
  base: Row,
  changes: Record<string, unknown>,
  ctx: EditContext,
): Promise<boolean> {
  const values = editValues(policy.table(table), base, changes, ctx);
  if (values === null) return false;
  await db.execute(...localUpdate(policy.table(table), values, base.id));
  return true;
}
