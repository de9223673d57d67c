import { useCallback, useState } from 'react';
import type { DemoUser } from '../api/api-client.ts';
import { SessionProvider } from '../session/SessionProvider.tsx';
import { SignIn } from '../session/SignIn.tsx';
import { loadSignedInUser, saveSignedInUser } from '../session/session-store.ts';
import { TestHook } from '../test-hook/TestHook.tsx';
import { Shell } from './Shell.tsx';

/** Sign-in gate: a demo user picked in this tab, then their own database and screens. */
export function App() {
  const [user, setUser] = useState<DemoUser | null>(loadSignedInUser);
  const signIn = useCallback((next: DemoUser) => {
    saveSignedInUser(next);
    setUser(next);
  }, []);
  const signOut = useCallback(() => {
    saveSignedInUser(null);
    setUser(null);
  }, []);

  if (!user) return <SignIn onSignIn={signIn} />;
  return (
    <SessionProvider key={user.id} user={user} onSignOut={signOut}>
      {__CR_TEST_HOOK__ && <TestHook />}
      <Shell />
    </SessionProvider>
  );
}
