import type { DemoUser } from '../api/api-client.ts';

/**
 * Who is signed in, per browser tab (sessionStorage): two windows can be two users, and a reload
 * (also offline) keeps the user without asking the server.
 */
const USER_KEY = 'cr.user';
const OFFLINE_KEY = 'cr.workOffline';

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

export function loadWorkOffline(): boolean {
  return sessionStorage.getItem(OFFLINE_KEY) === 'true';
}

export function saveWorkOffline(value: boolean): void {
  if (value) sessionStorage.setItem(OFFLINE_KEY, 'true');
  else sessionStorage.removeItem(OFFLINE_KEY);
}
