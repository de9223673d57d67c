import { useStatus } from '@powersync/react';
import { uploadLog, uploadProgress } from '../powersync/upload-events.ts';
import { useSession } from '../session/session-context.ts';
import { formatTime } from '../ui/format.ts';
import { useStore } from '../ui/store.ts';
import { SYNC_STATE_EXPLAINED, SYNC_STATE_LABELS } from './sync-state.ts';
import { useSyncState } from './use-sync-state.ts';

/** Who turned "work offline" on, and when: this tab, or another tab of the same user. */
export function workOfflineOrigin(since: { at: string | null; here: boolean } | null): string {
  if (!since) return '';
  const when = since.at ? ` at ${formatTime(since.at)}` : '';
  return since.here ? `Turned on in this tab${when}.` : `Turned on in another tab of yours${when}.`;
}

/** A backlog's upload as people read it: "uploading 3,200 of 10,000". */
export function progressText(progress: { done: number; total: number }): string {
  const count = (n: number) => n.toLocaleString('en-US');
  return `uploading ${count(progress.done)} of ${count(progress.total)}`;
}

/**
 * Sync status in the header: the state at a glance (its accessible name is its visible text), and
 * on opening the details: what the state means, connected, uploading / downloading, pending
 * uploads, last synced, the upload problem, and the "work offline" switch.
 */
export function SyncStatusPanel() {
  const status = useStatus();
  const { workOffline, workOfflineSince, setWorkOffline } = useSession();
  const { state, pending, problem } = useSyncState();
  const { lastError } = useStore(uploadLog);
  const progress = useStore(uploadProgress);
  const activity = status.dataFlowStatus.uploading
    ? 'uploading'
    : status.dataFlowStatus.downloading
      ? 'downloading'
      : 'idle';

  return (
    <details className="sync-status" data-testid="sync-status" data-state={state}>
      <summary>
        <span className={`dot dot-${state}`} aria-hidden="true" />
        <span data-testid="sync-state">{SYNC_STATE_LABELS[state]}</span>
        {pending > 0 && (
          <span className="pending-chip" data-testid="pending-chip">
            {pending} pending
          </span>
        )}
        {progress && (
          <span className="pending-chip" data-testid="upload-progress">
            {progressText(progress)}
          </span>
        )}
        {problem && (
          <span className="failing-chip" data-testid="upload-failing">
            upload failing
          </span>
        )}
      </summary>
      <div className="sync-details">
        <p data-testid="sync-explained">
          {SYNC_STATE_EXPLAINED[state]} {state === 'working-offline' && workOfflineOrigin(workOfflineSince)}
        </p>
        {problem && (
          <p className="reason" data-testid="upload-problem">
            The server has not accepted your last upload: {problem} It is kept and sent again; nothing is lost.
          </p>
        )}
        <dl>
          <dt>Connection</dt>
          <dd data-testid="sync-connected">{status.connected ? 'connected' : 'not connected'}</dd>
          <dt>Activity</dt>
          <dd data-testid="sync-activity">{progress ? progressText(progress) : activity}</dd>
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
        <p className="hint">
          Edits are saved on this device either way; they upload when you are back online. The switch applies to all
          your tabs.
        </p>
      </div>
    </details>
  );
}
