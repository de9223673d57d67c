import { useCallback, useRef, useState } from 'react';

/**
 * Runs actions one at a time, and never the same action twice in a row: a double-click or a
 * double Enter is one action, not two tasks, two restocks, two versions, or a retry the server
 * then calls ALREADY_APPLIED. "The same" means the same key (by default, the same arguments):
 * - the same action while it runs or waits, or right after it finished (`repeatMs`), is ignored;
 * - a different action (another title, another amount) is never dropped: it runs as soon as the
 *   ones before it have finished, so what a quick user submits while a save is under way counts.
 * `busy` (while anything runs or waits) is for the button's look, not to block the next action.
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
  const waiting = useRef(new Set<string>());
  const tail = useRef<Promise<unknown>>(Promise.resolve());
  const last = useRef<{ key: string; until: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const latest = useRef(action);
  latest.current = action;
  const run = useCallback(
    (...args: A) => {
      const key = keyOf(...args);
      if (waiting.current.has(key)) return;
      const justDone = last.current?.key === key && Date.now() < last.current.until;
      if (justDone && waiting.current.size === 0) return;
      waiting.current.add(key);
      setBusy(true);
      const done = tail.current.then(() => latest.current(...args));
      tail.current = done
        .catch(() => {})
        .finally(() => {
          waiting.current.delete(key);
          last.current = { key, until: Date.now() + repeatMs };
          if (waiting.current.size === 0) setBusy(false);
        });
      // A failed action is reported as before (an unhandled rejection the app's handler shows).
      void done;
    },
    [repeatMs, keyOf],
  );
  return { run, busy };
}
