import { useStatus } from '@powersync/react';
import { uploadLog } from '../powersync/upload-events.ts';
import { useSession } from '../session/session-context.ts';
import { useStore } from '../ui/store.ts';
import { type SyncState, syncState, uploadProblem } from './sync-state.ts';
import { useBrowserOnline } from './use-browser-online.ts';
import { usePendingUploads } from './use-pending-uploads.ts';

/** The sync state, pending uploads and the upload problem, from PowerSync, the browser and the connector. */
export function useSyncState(): { state: SyncState; pending: number; problem: string | null } {
  const status = useStatus();
  const { workOffline } = useSession();
  const browserOnline = useBrowserOnline();
  const pending = usePendingUploads();
  const { lastError } = useStore(uploadLog);
  const state = syncState({
    browserOnline,
    workOffline,
    connected: status.connected,
    connecting: status.connecting,
    downloadFailed: status.dataFlowStatus.downloadError !== undefined,
  });
  const problem = uploadProblem({
    pending,
    state,
    lastError,
    sdkUploadError: status.dataFlowStatus.uploadError?.message ?? null,
  });
  return { state, pending, problem };
}
