/**
 * The small typed hook the app puts on `window.__cr`, so end-to-end scenarios wait for states
 * (queue drained, synced) instead of sleeping. Types only: e2e/ imports them too.
 */
export interface CrSnapshot {
  user: string | null;
  connected: boolean;
  connecting: boolean;
  uploading: boolean;
  downloading: boolean;
  hasSynced: boolean;
  lastSyncedAt: string | null;
  /** Local writes waiting in PowerSync's upload queue. */
  pendingUploads: number;
  lastUploadError: string | null;
  workOffline: boolean;
  /** The header's state: online, connecting, offline (no network), working-offline, unreachable. */
  syncState: string;
  /** The service worker has cached the app: it can start and reload without a network. */
  offlineReady: boolean;
  /** Connected, synced at least once, nothing to upload, nothing in flight. */
  idle: boolean;
}

export interface CrTestHook {
  snapshot(): Promise<CrSnapshot>;
  /** Reads the local database. */
  getAll(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /**
   * Writes to the local database directly, as a client that does not follow the UI's rules
   * would (an old version, a tampered one); the server must still refuse what is not allowed.
   */
  execute(sql: string, params?: unknown[]): Promise<void>;
}

declare global {
  interface Window {
    __cr?: CrTestHook;
  }
}
