import { useEffect } from 'react';
import { offlineReady } from '../offline/register-service-worker.ts';
import { uploadLog } from '../powersync/upload-events.ts';
import { useSession } from '../session/session-context.ts';
import { syncState } from '../sync-status/sync-state.ts';
import type { CrSnapshot } from './test-hook-types.ts';

/** Installs window.__cr for the signed-in session (see test-hook-types.ts). Renders nothing. */
export function TestHook() {
  const { db, user, workOffline } = useSession();
  useEffect(() => {
    window.__cr = {
      async snapshot(): Promise<CrSnapshot> {
        const status = db.currentStatus;
        const pendingUploads = (await db.getUploadQueueStats()).count;
        const uploading = status.dataFlowStatus.uploading;
        const downloading = status.dataFlowStatus.downloading;
        const hasSynced = status.hasSynced === true;
        return {
          user: user.id,
          connected: status.connected,
          connecting: status.connecting,
          uploading,
          downloading,
          hasSynced,
          lastSyncedAt: status.lastSyncedAt?.toISOString() ?? null,
          pendingUploads,
          lastUploadError: uploadLog.get().lastError?.message ?? null,
          workOffline,
          syncState: syncState({
            browserOnline: navigator.onLine,
            workOffline,
            connected: status.connected,
            connecting: status.connecting,
            downloadFailed: status.dataFlowStatus.downloadError !== undefined,
          }),
          offlineReady: offlineReady.get(),
          idle: status.connected && hasSynced && pendingUploads === 0 && !uploading && !downloading,
        };
      },
      getAll: (sql, params = []) => db.getAll(sql, params),
      async execute(sql, params = []) {
        await db.execute(sql, params);
      },
    };
    return () => {
      delete window.__cr;
    };
  }, [db, user, workOffline]);
  return null;
}
