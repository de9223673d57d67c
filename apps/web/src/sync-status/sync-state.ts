/**
 * The state in the header, told truthfully: no network on this device, the "work offline" switch,
 * and a server that cannot be reached while the network is up are three different things, and an
 * upload the server keeps refusing is a fourth (shown next to the state).
 */
export type SyncState = 'online' | 'connecting' | 'offline' | 'working-offline' | 'unreachable';

export interface SyncInputs {
  /** navigator.onLine: the device has a network at all. */
  browserOnline: boolean;
  workOffline: boolean;
  connected: boolean;
  connecting: boolean;
  /** The last attempt to connect or download failed (PowerSync's downloadError). */
  downloadFailed: boolean;
}

export function syncState(input: SyncInputs): SyncState {
  if (input.workOffline) return 'working-offline';
  if (!input.browserOnline) return 'offline';
  if (input.connected) return 'online';
  if (input.connecting && !input.downloadFailed) return 'connecting';
  return 'unreachable';
}

export const SYNC_STATE_LABELS: Record<SyncState, string> = {
  online: 'Online',
  connecting: 'Connecting…',
  offline: 'Offline',
  'working-offline': 'Working offline',
  unreachable: 'Server unreachable',
};

/** One sentence on what the state means for the user's work. */
export const SYNC_STATE_EXPLAINED: Record<SyncState, string> = {
  online: 'Connected to the sync server: your edits upload as you make them, and others’ arrive.',
  connecting: 'Connecting to the sync server.',
  offline: 'This device has no network. Your edits are saved here and upload when the network is back.',
  'working-offline': 'You switched to working offline: nothing is sent or received until you switch it off.',
  unreachable:
    'The network is up, but the sync server cannot be reached. Retrying every second; your edits are saved here meanwhile.',
};

/** The upload problem worth showing: the server answered but keeps the changes waiting. */
export function uploadProblem(input: {
  pending: number;
  state: SyncState;
  /** This tab's connector: the last error and what it does about it. */
  lastError: { kind: string; message: string } | null;
  /** PowerSync's uploadError (shared by the tabs of one database). */
  sdkUploadError: string | null;
}): string | null {
  if (input.pending === 0) return null;
  if (input.lastError) return input.lastError.kind === 'network' ? null : input.lastError.message;
  return input.state === 'online' ? input.sdkUploadError : null;
}
