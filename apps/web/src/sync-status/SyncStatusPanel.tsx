import { useStatus } from '@powersync/react';
import { uploadLog } from '../powersync/upload-events.ts';
import { useSession } from '../session/session-context.ts';
import { formatTime } from '../ui/format.ts';
import { useStore } from '../ui/store.ts';
import { SYNC_STATE_LABELS, syncState } from './sync-state.ts';
import { usePendingUploads } from './use-pending-uploads.ts';

/**
 * Sync status in the header: the state at a glance, and on opening the details: connected,
 * uploading / downloading, pending uploads, last synced, the last upload error, and the
 * "work offline" switch (disconnects on purpose, for demos).
 */
export function SyncStatusPanel() {
  const status = useStatus();
  const { workOffline, setWorkOffline } = useSession();
  const pending = usePendingUploads();
  const { lastError } = useStore(uploadLog);
  const state = syncState({ connected: status.connected, connecting: status.connecting, workOffline });
  const activity = status.dataFlowStatus.uploading
    ? 'uploading'
    : status.dataFlowStatus.downloading
      ? 'downloading'
      : 'idle';

  return (
    <details className="sync-status" data-testid="sync-status">
      <summary aria-label={`Sync status: ${SYNC_STATE_LABELS[state]}, ${pending} pending`}>
        <span className={`dot dot-${state}`} aria-hidden="true" />
        <span data-testid="sync-state">{SYNC_STATE_LABELS[state]}</span>
        {pending > 0 && (
          <span className="pending-chip" data-testid="pending-chip">
            {pending} pending
          </span>
        )}
        {pending > 0 && lastError && lastError.kind !== 'network' && (
          <span className="failing-chip" title={lastError.message}>
            upload failing
          </span>
        )}
      </summary>
      <div className="sync-details">
        <dl>
          <dt>Connection</dt>
          <dd data-testid="sync-connected">{status.connected ? 'connected' : 'not connected'}</dd>
          <dt>Activity</dt>
          <dd data-testid="sync-activity">{activity}</dd>
          <dt>Waiting to upload</dt>
          <dd data-testid="pending-uploads">{pending}</dd>
          <dt>Last synced</dt>
          <dd data-testid="last-synced">{formatTime(status.lastSyncedAt)}</dd>
          <dt>Last upload error</dt>
          <dd data-testid="upload-error">
            {lastError ? `${lastError.message} (${formatTime(lastError.at)})` : 'none'}
          </dd>
        </dl>
        <label className="switch">
          <input
            type="checkbox"
            role="switch"
            aria-checked={workOffline}
            checked={workOffline}
            onChange={(event) => setWorkOffline(event.target.checked)}
            data-testid="work-offline-switch"
          />
          <span>Work offline</span>
        </label>
        <p className="hint">Edits are saved on this device either way; they upload when you are back online.</p>
      </div>
    </details>
  );
}
