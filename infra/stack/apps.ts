import path from 'node:path';
import { redactUrl } from '@cr/db';
import { infraPaths } from '../src/paths.ts';
import { httpProbe, type ReadinessProbe, syncProbe } from './readiness.ts';
import type { ServiceSpec } from './service.ts';

export type AppName = 'api' | 'sync' | 'web';

/** Where the stack's apps listen, and the database they share. */
export interface StackAddresses {
  databaseUrl: string;
  ports: { api: number; sync: number; web: number };
}

export const appUrl = (port: number) => `http://127.0.0.1:${port}`;

/** How to start an app of the stack and know it is ready: the one place that knows each app's entry, environment and probe. */
export interface AppLaunch {
  spec: ServiceSpec;
  ready: ReadinessProbe;
  /** Time it may take to be ready (not counting time it reports being busy). */
  readyTimeoutMs: number;
}

export function appLaunch(name: AppName, at: StackAddresses, env: Record<string, string> = {}): AppLaunch {
  const root = infraPaths.repoRoot;
  const apiUrl = appUrl(at.ports.api);
  const syncUrl = appUrl(at.ports.sync);
  const shared = { DATABASE_URL: at.databaseUrl, API_PORT: String(at.ports.api), SYNC_PORT: String(at.ports.sync) };
  const spec = (entry: string, own: Record<string, string>): ServiceSpec => ({
    name,
    entry: path.join(root, entry),
    cwd: root,
    env: { ...shared, ...own, ...env },
  });
  switch (name) {
    case 'api':
      return {
        spec: spec('apps/api/src/server.ts', { POWERSYNC_URL: syncUrl }),
        ready: httpProbe(`${apiUrl}/api/health`),
        readyTimeoutMs: 60_000,
      };
    case 'sync':
      return {
        spec: spec('apps/sync/src/server.ts', { JWKS_URL: `${apiUrl}/api/auth/keys` }),
        // Readiness, not liveness: clients get nothing until replication runs.
        ready: syncProbe(syncUrl, redactUrl(at.databaseUrl)),
        readyTimeoutMs: 60_000,
      };
    case 'web':
      return {
        spec: spec('apps/web/serve.ts', { WEB_PORT: String(at.ports.web), API_URL: apiUrl, SYNC_URL: syncUrl }),
        ready: httpProbe(`${appUrl(at.ports.web)}/`),
        // The web origin may build the client first (Vite), which takes a while on two cores.
        readyTimeoutMs: 240_000,
      };
  }
}
