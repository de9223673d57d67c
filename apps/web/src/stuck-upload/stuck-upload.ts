import type { AbstractPowerSyncDatabase, CrudTransaction } from '@powersync/web';
import { isStuck, type StuckUpload, stuckUpload, uploadLog } from '../powersync/upload-events.ts';

/** What Export saves: the refused transaction exactly as it would be uploaded, and why it was refused. */
export interface ExportedTransaction {
  exported_at: string;
  client_id: string;
  refused: { code: string | null; message: string; at: string };
  operations: unknown[];
}

/** The stuck transaction, if it still heads the upload queue (another tab may have acted on it). */
async function current(db: AbstractPowerSyncDatabase, stuck: StuckUpload): Promise<CrudTransaction | null> {
  const transaction = await db.getNextCrudTransaction();
  if (transaction && isStuck(stuck, transaction)) return transaction;
  stuckUpload.set(null); // gone already: nothing is waiting for the user any more
  return null;
}

/** The file Export offers: JSON of the refused operations (`CrudEntry.toJSON()`), or null if it is gone. */
export async function exportStuck(
  db: AbstractPowerSyncDatabase,
  stuck: StuckUpload,
  now = new Date(),
): Promise<{ filename: string; text: string } | null> {
  const transaction = await current(db, stuck);
  if (!transaction) return null;
  const file: ExportedTransaction = {
    exported_at: now.toISOString(),
    client_id: await db.getClientId(),
    refused: { code: stuck.code, message: stuck.message, at: stuck.at },
    operations: transaction.crud.map((entry) => entry.toJSON()),
  };
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  return { filename: `refused-changes-${stamp}.json`, text: JSON.stringify(file, null, 2) };
}

/**
 * Discards the stuck transaction: completes it without uploading, so the changes behind it flow
 * again. Its local effects are undone when the next checkpoint brings the server's rows. Returns
 * whether it was still there to discard.
 */
export async function discardStuck(db: AbstractPowerSyncDatabase, stuck: StuckUpload): Promise<boolean> {
  const transaction = await current(db, stuck);
  if (!transaction) return false;
  await transaction.complete();
  stuckUpload.set(null);
  uploadLog.set((log) => ({ ...log, lastError: null }));
  return true;
}

/** Try again: the server may accept it now (a raised limit); PowerSync sends it on its next attempt. */
export function retryStuck(): void {
  stuckUpload.set(null);
}
