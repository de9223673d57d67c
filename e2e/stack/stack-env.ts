import type { StackUrls } from './stack.ts';

/** Most operations the stack's API accepts in one upload (the API's default is 10,000). */
export const E2E_MAX_OPERATIONS = 1000;

/**
 * The running stack's URLs travel from the global setup to the test workers in the environment
 * (workers start after the setup and inherit it).
 */
const KEYS = {
  databaseUrl: 'CR_E2E_DATABASE_URL',
  apiUrl: 'CR_E2E_API_URL',
  syncUrl: 'CR_E2E_SYNC_URL',
  webUrl: 'CR_E2E_WEB_URL',
} as const satisfies Record<keyof StackUrls, string>;

export function exportStackEnv(urls: StackUrls): void {
  for (const [key, name] of Object.entries(KEYS)) process.env[name] = urls[key as keyof StackUrls];
}

export function readStackEnv(): StackUrls {
  const read = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set: run the scenarios with "npm test -w @cr/e2e" (global setup)`);
    return value;
  };
  return {
    databaseUrl: read(KEYS.databaseUrl),
    apiUrl: read(KEYS.apiUrl),
    syncUrl: read(KEYS.syncUrl),
    webUrl: read(KEYS.webUrl),
  };
}
