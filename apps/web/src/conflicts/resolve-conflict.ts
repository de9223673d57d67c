import type { AbstractPowerSyncDatabase } from '@powersync/web';

/**
 * Resolves a conflict (strategy 5): marks it resolved with the choice; the server applies the
 * choice to the row with a new version, or refuses if the row changed again meanwhile.
 */
export async function resolveConflict(
  db: AbstractPowerSyncDatabase,
  conflictId: string,
  resolution: 'mine' | 'server' | 'merged',
  values: Record<string, unknown> | null = null,
): Promise<void> {
  await db.execute(`UPDATE write_conflicts SET status = 'resolved', resolution = ?, resolved_values = ? WHERE id = ?`, [
    resolution,
    values === null ? null : JSON.stringify(values),
    conflictId,
  ]);
}
