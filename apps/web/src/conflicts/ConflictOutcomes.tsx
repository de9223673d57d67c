import { useQuery } from '@powersync/react';
import { useState } from 'react';
import { useSession } from '../session/session-context.ts';
import { CopyButton } from '../ui/CopyButton.tsx';
import { describeRecord, displayValue, fieldLabel } from '../ui/field-labels.ts';
import { formatWhen } from '../ui/format.ts';
import { parseJsonColumn } from '../ui/ids.ts';
import { useUserNames } from '../ui/use-user-names.ts';
import { conflictFields, conflictRowLabel } from './conflict-diff.ts';
import { outcomeStory } from './conflict-story.ts';
import { loadSeenOutcomes, saveSeenOutcome } from './seen-outcomes.ts';

interface Outcome {
  id: string;
  table_name: string;
  row_id: string;
  code: string;
  resolution: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
  client_values: string | null;
  server_values: string | null;
}

/**
 * The author learns how their conflict ended when someone else (a reviewer) resolved it: "Rita
 * Ruiz kept Bob Brown’s version; your edit was not applied", with the values to copy. Shown until
 * acknowledged (OK), on every screen.
 */
export function ConflictOutcomes() {
  const { user } = useSession();
  const nameOf = useUserNames();
  const [seen, setSeen] = useState(() => loadSeenOutcomes(user.id));
  const { data } = useQuery<Outcome>(
    `SELECT id, table_name, row_id, code, resolution, resolved_by, resolved_at, client_values, server_values
       FROM write_conflicts
      WHERE user_id = ? AND status = 'resolved' AND resolved_by IS NOT NULL AND resolved_by != ?
      ORDER BY resolved_at DESC, id LIMIT 20`,
    [user.id, user.id],
  );
  const outcomes = data.filter((outcome) => !seen.has(outcome.id));
  if (outcomes.length === 0) return null;
  return (
    <section className="conflict-outcomes" aria-label="How your conflicts ended" data-testid="conflict-outcomes">
      <ul>
        {outcomes.map((outcome) => {
          const client = parseJsonColumn<Record<string, unknown>>(outcome.client_values);
          const server = parseJsonColumn<Record<string, unknown>>(outcome.server_values);
          const record = describeRecord(outcome.table_name, conflictRowLabel(outcome.row_id, client, server));
          const lost = outcome.resolution === 'server' ? conflictFields(outcome.table_name, client, server) : [];
          const lostText = lost
            .map(
              (field) =>
                `${fieldLabel(outcome.table_name, field.field)}: ${displayValue(outcome.table_name, field.field, field.mine, nameOf)}`,
            )
            .join('\n');
          return (
            <li
              key={outcome.id}
              data-testid="conflict-outcome"
              data-row-id={outcome.row_id}
              data-resolution={outcome.resolution}
            >
              <p>
                Your conflict on {record}: {outcomeStory(outcome, server, user.id, nameOf)}.{' '}
                <span className="hint">{formatWhen(outcome.resolved_at)}</span>
              </p>
              <div className="form-actions">
                {lost.length > 0 && <CopyButton text={lostText} what="your version" testId="outcome-copy-mine" />}
                <button
                  type="button"
                  className="quiet small"
                  onClick={() => setSeen(saveSeenOutcome(user.id, outcome.id))}
                  data-testid="conflict-outcome-ok"
                >
                  OK<span className="visually-hidden">, noted</span>
                </button>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
