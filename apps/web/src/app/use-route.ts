import { useSyncExternalStore } from 'react';

export const SCREENS = ['tasks', 'documents', 'patients', 'orders', 'inventory', 'analytics'] as const;
export type Screen = (typeof SCREENS)[number];

function current(): Screen {
  const name = window.location.hash.replace(/^#\/?/, '').split('/')[0];
  return (SCREENS as readonly string[]).includes(name ?? '') ? (name as Screen) : 'tasks';
}

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

/** The screen in the URL hash (#/orders): links work offline and survive a reload. */
export function useRoute(): Screen {
  return useSyncExternalStore(subscribe, current, () => 'tasks');
}
