import { useQuery } from '@powersync/react';
import { createContext, createElement, type ReactNode, useContext, useMemo } from 'react';

type NameOf = (id: unknown) => string;

const fallback: NameOf = (id) => (typeof id === 'string' ? id : '—');
const UserNamesContext = createContext<NameOf>(fallback);

/** One watched query of the users (synced to everyone) for the whole session. */
export function UserNamesProvider(props: { children: ReactNode }) {
  const { data } = useQuery<{ id: string; name: string }>('SELECT id, name FROM users');
  const nameOf = useMemo<NameOf>(() => {
    const names = new Map(data.map((user) => [user.id, user.name]));
    return (id) => (typeof id === 'string' ? (names.get(id) ?? id) : '—');
  }, [data]);
  return createElement(UserNamesContext.Provider, { value: nameOf }, props.children);
}

/** Display names of the users, to say who changed what. */
export function useUserNames(): NameOf {
  return useContext(UserNamesContext);
}
