/** The one-word state in the header. */
export type SyncState = 'online' | 'connecting' | 'offline' | 'working-offline';

export function syncState(input: { connected: boolean; connecting: boolean; workOffline: boolean }): SyncState {
  if (input.workOffline) return 'working-offline';
  if (input.connected) return 'online';
  if (input.connecting) return 'connecting';
  return 'offline';
}

export const SYNC_STATE_LABELS: Record<SyncState, string> = {
  online: 'Online',
  connecting: 'Connecting…',
  offline: 'Offline',
  'working-offline': 'Working offline',
};
