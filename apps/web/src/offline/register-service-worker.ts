import { createStore } from '../ui/store.ts';

/** True once the service worker is active, i.e. the app is cached and can start offline. */
export const offlineReady = createStore(false);

/**
 * Registers the service worker of the production build (src/offline/service-worker.ts, served
 * as /sw.js), so the app starts and reloads without a network, like any offline-first app must.
 * The Vite dev server has no service worker.
 */
export function registerServiceWorker(): void {
  if (import.meta.env.DEV || !('serviceWorker' in navigator)) return;
  const container = navigator.serviceWorker;
  // Already installed: reuse it. Registering again offline would only fail to fetch /sw.js.
  if (!container.controller) {
    container.register('/sw.js', { type: 'module', scope: '/' }).catch((error: Error) => {
      console.warn(`The app could not be cached for offline use: ${error.message}`);
    });
  }
  void container.ready.then(() => offlineReady.set(true));
}
