/**
 * The web origin's configuration: the one place in apps/web that reads process.env (serve.ts,
 * vite.config.ts and the screenshot script all come through here).
 */
export interface WebEnv {
  port: number;
  host: string;
  /** The upload API; `/api/*` is forwarded there. */
  apiUrl: string;
  /** The sync service; the PowerSync paths are forwarded there. */
  syncUrl: string;
  /** `auto` rebuilds dist/ when the sources are newer; `never` serves dist/ as it is. */
  build: 'auto' | 'never';
  /**
   * A test build (WEB_TEST_HOOK=1, set by the end-to-end stack): the client puts its test hook on
   * `window.__cr` (raw SQL on the local database) and is built into dist-test/. Never in a build
   * people use.
   */
  testHook: boolean;
}

type Source = Readonly<Record<string, string | undefined>>;

function port(source: Source, name: string, fallback: number): number {
  const raw = source[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) {
    throw new Error(`${name} must be a port number (0-65535); got "${raw}".`);
  }
  return value;
}

function httpUrl(source: Source, name: string, fallback: string): string {
  const raw = source[name]?.trim() || fallback;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new Error(`${name} must be an http(s) URL; got "${raw}".`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`${name} must be an http(s) URL; got "${raw}".`);
  }
  return raw.replace(/\/+$/, '');
}

export function loadWebEnv(source: Source = process.env): WebEnv {
  const build = source.WEB_BUILD?.trim() || 'auto';
  if (build !== 'auto' && build !== 'never') throw new Error(`WEB_BUILD must be auto or never; got "${build}".`);
  const testHook = source.WEB_TEST_HOOK?.trim() || '0';
  if (testHook !== '0' && testHook !== '1') throw new Error(`WEB_TEST_HOOK must be 0 or 1; got "${testHook}".`);
  return {
    port: port(source, 'WEB_PORT', 5173),
    host: source.WEB_HOST?.trim() || '127.0.0.1',
    apiUrl: httpUrl(source, 'API_URL', `http://127.0.0.1:${port(source, 'API_PORT', 8787)}`),
    syncUrl: httpUrl(source, 'SYNC_URL', `http://127.0.0.1:${port(source, 'SYNC_PORT', 8080)}`),
    build,
    testHook: testHook === '1',
  };
}
