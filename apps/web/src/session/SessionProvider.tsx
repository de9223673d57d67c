import { PowerSyncContext } from '@powersync/react';
import type { AbstractPowerSyncDatabase } from '@powersync/web';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import type { DemoUser } from '../api/api-client.ts';
import { ApiConnector } from '../powersync/connector.ts';
import { openDatabase, SYNC_OPTIONS } from '../powersync/open-database.ts';
import { notableOutcomes, uploadLog } from '../powersync/upload-events.ts';
import { PendingRowsProvider } from '../sync-status/pending-rows.ts';
import { UserNamesProvider } from '../ui/use-user-names.ts';
import { type Session, SessionContext } from './session-context.ts';
import { loadWorkOffline, onWorkOfflineChange, saveWorkOffline, tabId } from './session-store.ts';

interface Connection {
  db: AbstractPowerSyncDatabase;
  connector: ApiConnector;
}

/** One database and connector per user for the page's lifetime; switching users disconnects. */
const connections = new Map<string, Connection>();

function connectionFor(userId: string): Connection {
  let connection = connections.get(userId);
  if (!connection) {
    connection = { db: openDatabase(userId), connector: new ApiConnector(userId) };
    connections.set(userId, connection);
  }
  return connection;
}

/** Wires the signed-in user's database, connector and sync status into React context. */
export function SessionProvider(props: { user: DemoUser; onSignOut: () => void; children: ReactNode }) {
  const { user, onSignOut } = props;
  const { db, connector } = connectionFor(user.id);
  const [offline, setOffline] = useState(() => loadWorkOffline(user.id));
  const workOffline = offline.on;

  // The switch is shared by this user's tabs (they share one sync connection).
  useEffect(() => onWorkOfflineChange(user.id, setOffline), [user.id]);

  // What the connector reported belongs to the user it uploaded for.
  useEffect(() => {
    uploadLog.set({ lastError: null, lastSuccessAt: null, completed: 0 });
    notableOutcomes.set([]);
  }, []);

  useEffect(() => {
    if (workOffline) {
      void db.disconnect();
      return;
    }
    void db.connect(connector, SYNC_OPTIONS);
    return () => {
      void db.disconnect();
    };
  }, [db, connector, workOffline]);

  const session = useMemo<Session>(
    () => ({
      user,
      db,
      workOffline,
      workOfflineSince: offline.on ? { at: offline.at, here: offline.tab === null || offline.tab === tabId() } : null,
      setWorkOffline(value) {
        setOffline(saveWorkOffline(user.id, value));
      },
      signOut() {
        connector.invalidate();
        onSignOut();
      },
      apiToken: () => connector.apiToken(),
    }),
    [user, db, connector, workOffline, offline, onSignOut],
  );

  return (
    <PowerSyncContext.Provider value={db}>
      <SessionContext.Provider value={session}>
        <UserNamesProvider>
          <PendingRowsProvider>{props.children}</PendingRowsProvider>
        </UserNamesProvider>
      </SessionContext.Provider>
    </PowerSyncContext.Provider>
  );
}
