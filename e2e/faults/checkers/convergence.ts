import type { ClientInfo, ClientRead } from '../history.ts';
import type { RowHistory } from '../observer.ts';
import { PRIORITY_1, PRIORITY_3 } from '../rows.ts';
import { stateAt } from './timeline.ts';
import type { Violation } from './violation.ts';

export interface ConvergenceInput {
  clients: readonly ClientInfo[];
  /** One read per client, taken after the faults stopped. */
  reads: readonly ClientRead[];
  rows: Iterable<RowHistory>;
  /** The database's latest cut. */
  lastSeq: number;
}

/**
 * Every client ends up holding exactly what the sync rules give it of Postgres at its latest
 * state: the same rows with the same values, nothing else, and nothing left to upload.
 */
export function checkConvergence(input: ConvergenceInput): Violation[] {
  const violations: Violation[] = [];
  const rows = [...input.rows];
  for (const client of input.clients) {
    const read = input.reads.find((r) => r.client === client.name);
    if (!read) {
      violations.push({ checker: 'convergence', message: `${client.name} could not be read` });
      continue;
    }
    if (!read.queueEmpty)
      violations.push({ checker: 'convergence', message: `${client.name} still has uploads queued` });
    if (read.excluded.size > 0) {
      violations.push({
        checker: 'convergence',
        message: `${client.name} still shows ${read.excluded.size} unconfirmed local write(s): ${[...read.excluded].slice(0, 3).join(', ')}`,
      });
    }
    for (const group of read.groups) {
      const expected = stateAt(rows, client, input.lastSeq, group.priority === 1 ? PRIORITY_1 : PRIORITY_3);
      const differences: string[] = [];
      for (const [key, digest] of expected) {
        const held = group.rows.get(key);
        if (held === undefined) differences.push(`missing ${key}`);
        else if (held !== digest) differences.push(`stale ${key}`);
      }
      for (const key of group.rows.keys()) if (!expected.has(key)) differences.push(`extra ${key}`);
      if (differences.length > 0) {
        violations.push({
          checker: 'convergence',
          message: `${client.name} (${client.user}) differs from Postgres in ${differences.length} row(s): ${differences.slice(0, 5).join(', ')}`,
        });
      }
    }
  }
  return violations;
}
