import { freePort } from '@cr/db';
import { type AppName, appLaunch, appUrl, startService, waitUntilReady } from '@cr/infra/stack';

/** The upload API and the sync service, each in its own process, on one database (the stack's launcher). */
export interface BenchStack {
  apiUrl: string;
  syncUrl: string;
  /** A token for `user` from the API's demo sign-in. */
  token(user: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startStack(databaseUrl: string): Promise<BenchStack> {
  const ports = { api: await freePort(), sync: await freePort(), web: 0 };
  const started: { stop(): Promise<unknown> }[] = [];
  const start = async (name: AppName, env: Record<string, string>) => {
    const launch = appLaunch(name, { databaseUrl, ports }, env);
    const service = startService(launch.spec, { kind: 'quiet' });
    started.push(service);
    await waitUntilReady(service, launch.ready, launch.readyTimeoutMs, () => {});
  };
  const stop = async () => {
    for (const service of started.reverse()) await service.stop();
  };
  try {
    await start('api', { LOG_LEVEL: 'warn' });
    await start('sync', { SYNC_LOG_LEVEL: 'warn' });
  } catch (error) {
    await stop();
    throw error;
  }
  const apiUrl = appUrl(ports.api);
  return {
    apiUrl,
    syncUrl: appUrl(ports.sync),
    async token(user) {
      const response = await fetch(`${apiUrl}/api/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user }),
      });
      if (!response.ok) throw new Error(`sign-in as ${user} failed: ${response.status}`);
      return ((await response.json()) as { token: string }).token;
    },
    stop,
  };
}
