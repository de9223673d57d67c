import type { EditContext } from '@cr/connector-kit';
import type { AbstractPowerSyncDatabase } from '@powersync/web';
import { saveEdit } from '../edits/write-edit.ts';
import { type Revision, restoreChanges, restoreMetadata, type ShownDocument } from './history-model.ts';

/**
 * Restores a version as a new edit of the document as the user sees it (`shown`: its version is
 * the edit's base, its text the snapshot the three-way merge merges against), saying it is a
 * restore (`_metadata.kind`). Offline it waits in the upload queue like any edit; on the server it
 * goes through the documents' strategy, so versions the user has not seen are merged or become a
 * conflict, never overwritten. Returns false when the document already reads like that version.
 */
export async function restoreRevision(
  db: AbstractPowerSyncDatabase,
  shown: ShownDocument,
  revision: Revision,
  ctx: Omit<EditContext, 'metadata'>,
): Promise<boolean> {
  const changes = restoreChanges(shown, revision);
  if (changes === null) return false;
  return saveEdit(db, 'documents', { ...shown }, changes, { ...ctx, metadata: restoreMetadata(revision) });
}
