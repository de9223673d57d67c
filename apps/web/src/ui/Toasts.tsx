import type { OperationOutcome } from '@cr/connector-kit';
import { useEffect } from 'react';
import { describeOutcome } from '../powersync/describe-outcome.ts';
import { notableOutcomes } from '../powersync/upload-events.ts';
import { useStore } from './store.ts';

const SHOWN_FOR_MS = 10_000;
/** A merge's toast says what came from someone else's version: it stays longer. */
const MERGE_SHOWN_FOR_MS = 30_000;

function remove(outcome: OperationOutcome) {
  notableOutcomes.set((list) => list.filter((item) => item !== outcome));
}

function Toast(props: { outcome: OperationOutcome }) {
  const { outcome } = props;
  useEffect(() => {
    const timer = setTimeout(() => remove(outcome), outcome.status === 'merged' ? MERGE_SHOWN_FOR_MS : SHOWN_FOR_MS);
    return () => clearTimeout(timer);
  }, [outcome]);
  return (
    <li className={`toast toast-${outcome.status}`} data-testid="toast">
      <span>{describeOutcome(outcome)}</span>
      <button type="button" className="quiet" aria-label="Dismiss this message" onClick={() => remove(outcome)}>
        ×
      </button>
    </li>
  );
}

/**
 * Immediate feedback after an upload: what the server refused, recorded as a conflict, or merged. The
 * lasting record is the synced rejections and conflicts, shown on the screens and in the banner.
 */
export function Toasts() {
  const outcomes = useStore(notableOutcomes);
  return (
    <ul className="toasts" aria-live="polite" aria-label="Upload results">
      {outcomes.slice(-4).map((outcome) => (
        <Toast key={`${outcome.op_id}-${outcome.id}`} outcome={outcome} />
      ))}
    </ul>
  );
}
