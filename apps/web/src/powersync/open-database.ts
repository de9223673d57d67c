import { AppSchema } from '@cr/demo-domain/client';
import { type AbstractPowerSyncDatabase, PowerSyncDatabase, type SyncOptions } from '@powersync/web';
import { powerSyncLogger } from './logger.ts';

/** Each demo user has a local database of their own, so two users can work side by side. */
export function databaseFileFor(userId: string): string {
  return `cr-${userId}.sqlite`;
}

export function openDatabase(userId: string): AbstractPowerSyncDatabase {
  return new PowerSyncDatabase({
    schema: AppSchema,
    database: { dbFilename: databaseFileFor(userId) },
    logger: powerSyncLogger,
  });
}

/**
 * How the client syncs: plain HTTP streaming (the default, spelled out), a quick retry after a
 * lost connection so a demo (or a scenario) converges soon after the network is back, and a short
 * pause before uploading so a burst of edits goes out together.
 */
export const SYNC_OPTIONS: SyncOptions = {
  retryDelayMs: 1000,
  crudUploadThrottleMs: 250,
};
