import { useCallback, useEffect, useState } from 'react';
import { type DemoUser, fetchDemoUsers } from '../api/api-client.ts';
import { ROLE_DESCRIPTIONS } from './role-descriptions.ts';

/** Pick a demo user. Each has a local database of their own; a second window can be another user. */
export function SignIn(props: { onSignIn: (user: DemoUser) => void }) {
  const [users, setUsers] = useState<DemoUser[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback((signal?: AbortSignal) => {
    setError(null);
    fetchDemoUsers(signal).then(setUsers, (failure: Error) => {
      if (!signal?.aborted) setError(failure.message);
    });
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal);
    return () => controller.abort();
  }, [load]);

  return (
    <main className="sign-in" data-testid="sign-in">
      <h1>Conflict resolution, offline first</h1>
      <p className="lede">
        Pick a demo user. Every edit lands in this browser’s local database at once and syncs when the network allows;
        open a second window to work as someone else side by side.
      </p>
      {error && (
        <div className="notice notice-error" role="alert">
          <p>Could not load the demo users: {error}</p>
          <button type="button" onClick={() => load()}>
            Try again
          </button>
        </div>
      )}
      {!users && !error && <p aria-live="polite">Loading the demo users…</p>}
      {users && (
        <ul className="user-grid" aria-label="Demo users">
          {users.map((user) => (
            <li key={user.id}>
              <button
                type="button"
                className="user-card"
                data-testid={`sign-in-${user.id}`}
                onClick={() => props.onSignIn(user)}
              >
                <span className="user-name">{user.name}</span>
                <span className={`role-badge role-${user.role}`}>{user.role}</span>
                <span className="user-role-text">{ROLE_DESCRIPTIONS[user.role]}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
