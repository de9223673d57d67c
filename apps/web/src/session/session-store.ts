import type { DemoUser } from '../api/api-client.ts';

/**
 * Who is signed in, per browser tab (sessionStorage): two windows can be two users, and a reload
 * (also offline) keeps the user without asking the server.
 */
const USER_KEY = 'cr.user';
const TAB_KEY = 'cr.tab';

export function loadSignedInUser(): DemoUser | null {
  try {
    const raw = sessionStorage.getItem(USER_KEY);
    const user = raw ? (JSON.parse(raw) as Partial<DemoUser>) : null;
    return user && typeof user.id === 'string' && typeof user.name === 'string' && typeof user.role === 'string'
      ? (user as DemoUser)
      : null;
  } catch {
    return null;
  }
}

export function saveSignedInUser(user: DemoUser | null): void {
  if (user) sessionStorage.setItem(USER_KEY, JSON.stringify(user));
  else sessionStorage.removeItem(USER_KEY);
}

/** This tab, to tell its own "work offline" from another tab's. */
export function tabId(): string {
  let id = sessionStorage.getItem(TAB_KEY);
  if (!id) {
    id = Math.random().toString(36).slice(2, 10);
    sessionStorage.setItem(TAB_KEY, id);
  }
  return id;
}

/**
 * "Work offline", per user on this device (localStorage). The tabs of one user share one sync
 * connection (PowerSync's shared worker), so the switch is theirs together: every tab shows it
 * on, says which tab turned it on and when, and can turn it off.
 */
export interface WorkOffline {
  on: boolean;
  at: string | null;
  tab: string | null;
}

const offlineKey = (userId: string) => `cr.workOffline.${userId}`;
const OFF: WorkOffline = { on: false, at: null, tab: null };

export function loadWorkOffline(userId: string): WorkOffline {
  try {
    const parsed = JSON.parse(localStorage.getItem(offlineKey(userId)) ?? 'null') as Partial<WorkOffline> | null;
    return parsed?.on === true
      ? {
          on: true,
          at: typeof parsed.at === 'string' ? parsed.at : null,
          tab: typeof parsed.tab === 'string' ? parsed.tab : null,
        }
      : OFF;
  } catch {
    return OFF;
  }
}

export function saveWorkOffline(userId: string, on: boolean): WorkOffline {
  const value: WorkOffline = on ? { on: true, at: new Date().toISOString(), tab: tabId() } : OFF;
  if (on) localStorage.setItem(offlineKey(userId), JSON.stringify(value));
  else localStorage.removeItem(offlineKey(userId));
  return value;
}

/** Calls back when another tab changes this user's switch. */
export function onWorkOfflineChange(userId: string, listener: (value: WorkOffline) => void): () => void {
  const handler = (event: StorageEvent) => {
    if (event.key === offlineKey(userId)) listener(loadWorkOffline(userId));
  };
  window.addEventListener('storage', handler);
  return () => window.removeEventListener('storage', handler);
}
