import { useCallback, useRef, useState } from 'react';

/**
 * Runs an action at most once at a time, and ignores the same action (same arguments) repeated
 * right after it finished: a double-click or a double Enter is one action, not two tasks, two
 * restocks, two versions, or a retry the server then calls ALREADY_APPLIED. A different action
 * (another title, another amount) goes through at once. `busy` (while it runs) is for the button.
 */
export function useGuardedAction<A extends unknown[]>(
  action: (...args: A) => Promise<unknown>,
  options: {
    repeatMs?: number;
    /** What counts as "the same action"; by default its arguments. */
    keyOf?: (...args: A) => string;
  } = {},
): { run: (...args: A) => void; busy: boolean } {
  const repeatMs = options.repeatMs ?? 800;
  const keyOf = options.keyOf ?? ((...args: A) => JSON.stringify(args));
  const running = useRef(false);
  const last = useRef<{ key: string; until: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const latest = useRef(action);
  latest.current = action;
  const run = useCallback(
    (...args: A) => {
      const key = keyOf(...args);
      if (running.current || (last.current?.key === key && Date.now() < last.current.until)) return;
      running.current = true;
      setBusy(true);
      void latest.current(...args).finally(() => {
        running.current = false;
        last.current = { key, until: Date.now() + repeatMs };
        setBusy(false);
      });
    },
    [repeatMs, keyOf],
  );
  return { run, busy };
}
