import type { AbstractPowerSyncDatabase } from '@powersync/web';
import { createContext, useContext } from 'react';
import type { DemoUser } from '../api/api-client.ts';

export interface Session {
  user: DemoUser;
  db: AbstractPowerSyncDatabase;
  /** The "work offline" switch: disconnected on purpose (for demos), besides real network loss. */
  workOffline: boolean;
  /** When the switch was turned on, and whether in this tab (the tabs of a user share it). */
  workOfflineSince: { at: string | null; here: boolean } | null;
  setWorkOffline(value: boolean): void;
  signOut(): void;
  /** A bearer token for the API (the metrics need one). */
  apiToken(): Promise<string>;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside <SessionProvider>');
  return session;
}
