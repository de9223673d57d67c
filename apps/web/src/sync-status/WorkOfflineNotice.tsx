import { useSession } from '../session/session-context.ts';
import { workOfflineOrigin } from './SyncStatusPanel.tsx';

/**
 * When another tab of the same user turned "work offline" on, this tab says so where it is seen,
 * with the way back: the tabs share one sync connection, so this tab is offline too.
 */
export function WorkOfflineNotice() {
  const { workOffline, workOfflineSince, setWorkOffline } = useSession();
  if (!workOffline || !workOfflineSince || workOfflineSince.here) return null;
  return (
    <div className="notice notice-info work-offline-notice" role="status" data-testid="work-offline-notice">
      <p>
        <strong>Working offline.</strong> {workOfflineOrigin(workOfflineSince)} Nothing is sent or received in any of
        your tabs until it is switched off.
      </p>
      <button type="button" onClick={() => setWorkOffline(false)} data-testid="work-offline-undo">
        Go online
      </button>
    </div>
  );
}
