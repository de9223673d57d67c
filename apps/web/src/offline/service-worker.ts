/**
 * The service worker (built to /sw.js): keeps the app itself available offline.
 *
 * - install: caches every file of the build (precache.json, written by vite.config.ts);
 * - navigations and other app files: network first (a new build is picked up when online), the
 *   cache when the network fails or is silent for a few seconds; hashed /assets/ files: cache first;
 * - /api and the PowerSync paths are never touched: data goes through the local database and
 *   the upload queue, not through this cache.
 *
 * Written against minimal local types: the DOM and WebWorker libraries cannot both be loaded.
 */
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface ServiceWorkerScope {
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
}

const scope = self as unknown as ServiceWorkerScope;
const CACHE = 'cr-app-shell';
const NETWORK_TIMEOUT_MS = 4000;

function bypasses(url: URL): boolean {
  return (
    url.origin !== self.location.origin ||
    url.pathname.startsWith('/api/') ||
    url.pathname.startsWith('/sync/') ||
    url.pathname.startsWith('/write-checkpoint')
  );
}

/** Caches every file of the current build and drops files of earlier builds. */
async function precache(): Promise<void> {
  const response = await fetch('/precache.json', { cache: 'no-store' });
  if (!response.ok) return;
  const files = (await response.json()) as string[];
  const cache = await caches.open(CACHE);
  const cached = new Set((await cache.keys()).map((request) => new URL(request.url).pathname));
  await cache.addAll(files.filter((file) => !cached.has(file) || !file.startsWith('/assets/')));
  const wanted = new Set(files);
  for (const request of await cache.keys()) {
    if (!wanted.has(new URL(request.url).pathname)) await cache.delete(request);
  }
}

async function networkFirst(request: Request, cacheKey: string): Promise<Response> {
  const cache = await caches.open(CACHE);
  try {
    const response = await Promise.race([
      fetch(request),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), NETWORK_TIMEOUT_MS)),
    ]);
    if (response.ok) await cache.put(cacheKey, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(cacheKey);
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

scope.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => scope.skipWaiting()));
});

scope.addEventListener('activate', (event) => {
  event.waitUntil(scope.clients.claim());
});

scope.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || bypasses(url)) return;
  if (event.request.mode === 'navigate') {
    // Every screen is index.html; refresh the cached build in the background while online.
    event.respondWith(
      networkFirst(event.request, '/').then((response) => {
        event.waitUntil(precache().catch(() => {}));
        return response;
      }),
    );
    return;
  }
  event.respondWith(
    url.pathname.startsWith('/assets/') ? cacheFirst(event.request) : networkFirst(event.request, url.pathname),
  );
});
