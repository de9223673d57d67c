import type { Role } from '@cr/demo-domain';
import { PATIENT_FIELDS_BY_ROLE } from '@cr/demo-domain';
import { AnalyticsScreen } from '../analytics/AnalyticsScreen.tsx';
import { ConflictBanner } from '../conflicts/ConflictBanner.tsx';
import { ConflictOutcomes } from '../conflicts/ConflictOutcomes.tsx';
import { DocumentsScreen } from '../documents/DocumentsScreen.tsx';
import { InventoryScreen } from '../inventory/InventoryScreen.tsx';
import { OrdersScreen } from '../orders/OrdersScreen.tsx';
import { PatientsScreen } from '../patients/PatientsScreen.tsx';
import { RejectionList } from '../rejections/RejectionList.tsx';
import { useSession } from '../session/session-context.ts';
import { StuckUploadNotice } from '../stuck-upload/StuckUploadNotice.tsx';
import { SyncStatusPanel } from '../sync-status/SyncStatusPanel.tsx';
import { WorkOfflineNotice } from '../sync-status/WorkOfflineNotice.tsx';
import { TasksScreen } from '../tasks/TasksScreen.tsx';
import { Toasts } from '../ui/Toasts.tsx';
import { type Screen, useRoute } from './use-route.ts';

const LABELS: Record<Screen, string> = {
  tasks: 'Tasks',
  documents: 'Documents',
  patients: 'Patients',
  orders: 'Orders',
  inventory: 'Inventory',
  analytics: 'Analytics',
};

function visibleScreens(role: Role): Screen[] {
  // Patient records are synced to clinical roles only (infra/powersync/sync-rules.yaml).
  const clinical = PATIENT_FIELDS_BY_ROLE[role].length > 0;
  return (Object.keys(LABELS) as Screen[]).filter((screen) => screen !== 'patients' || clinical);
}

function CurrentScreen(props: { screen: Screen }) {
  switch (props.screen) {
    case 'tasks':
      return <TasksScreen />;
    case 'documents':
      return <DocumentsScreen />;
    case 'patients':
      return <PatientsScreen />;
    case 'orders':
      return <OrdersScreen />;
    case 'inventory':
      return <InventoryScreen />;
    case 'analytics':
      return <AnalyticsScreen />;
  }
}

/** Header (navigation, user, sync status), the conflict banner on every screen, the screen. */
export function Shell() {
  const { user, signOut } = useSession();
  const screen = useRoute();
  return (
    <div className="shell">
      <header className="app-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">Conflict lab</span>
        </div>
        <nav aria-label="Screens" className="tabs">
          {visibleScreens(user.role).map((name) => (
            <a
              key={name}
              href={`#/${name}`}
              aria-current={name === screen ? 'page' : undefined}
              data-testid={`nav-${name}`}
            >
              {LABELS[name]}
            </a>
          ))}
        </nav>
        <div className="header-side">
          <SyncStatusPanel />
          <div className="who" data-testid="current-user">
            <span className="who-name">{user.name}</span>
            <span className={`role-badge role-${user.role}`}>{user.role}</span>
          </div>
          <button type="button" className="quiet" onClick={signOut} data-testid="switch-user">
            Switch user
          </button>
        </div>
      </header>
      <StuckUploadNotice />
      <WorkOfflineNotice />
      <ConflictBanner />
      <main className="screen" data-testid={`screen-${screen}`}>
        <ConflictOutcomes />
        <RejectionList tables={['write_conflicts']} title="Conflict resolutions that were not applied" />
        <CurrentScreen screen={screen} />
      </main>
      <Toasts />
    </div>
  );
}
