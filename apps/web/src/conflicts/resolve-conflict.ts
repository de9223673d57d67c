import type { AbstractPowerSyncDatabase } from '@powersync/web';

export type Resolution = 'mine' | 'server' | 'merged';

/**
 * Resolves a conflict (strategy 5): marks it resolved with the choice; the server applies the
 * choice to the row with a new version, or refuses if the row changed again meanwhile. Only an
 * open conflict is touched, so a second click (or a second tab) writes nothing more.
 */
export async function resolveConflict(
  db: AbstractPowerSyncDatabase,
  conflictId: string,
  resolution: Resolution,
  values: Record<string, unknown> | null = null,
): Promise<void> {
  await db.execute(
    `UPDATE write_conflicts SET status = 'resolved', resolution = ?, resolved_values = ? WHERE id = ? AND status = 'open'`,
    [resolution, values === null ? null : JSON.stringify(values), conflictId],
  );
}
