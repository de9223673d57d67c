import type { ClientInfo, ClientRead } from '../history.ts';
import type { RowHistory } from '../observer.ts';
import { PRIORITY_1, PRIORITY_3, rowKey } from '../rows.ts';
import { atLeast, type Cuts, describeCuts, EVERY_CUT, first, intersect, last } from './cuts.ts';
import { ABSENT, cutsShowing, type Segment, timeline } from './timeline.ts';
import type { Violation } from './violation.ts';

export interface ReadConsistencyInput {
  clients: readonly ClientInfo[];
  reads: readonly ClientRead[];
  rows: Iterable<RowHistory>;
}

/**
 * Every read a client made must be the database at one cut of its commit history, within each
 * priority (all priority-1 rows at one cut, all priority-3 rows at one cut): a read that shows
 * part of a source transaction — one row after it, another before — has no such cut. Rows showing
 * the client's own unconfirmed writes are left out. Across a client's reads the cuts never go
 * back (monotonic reads), and priority-3 data is never ahead of priority-1 data.
 */
export function checkReadConsistency(input: ReadConsistencyInput): Violation[] {
  const violations: Violation[] = [];
  const rows = [...input.rows];
  for (const client of input.clients) {
    const timelines = new Map<string, Segment[]>();
    for (const history of rows) timelines.set(rowKey(history.table, history.id), timeline(history, client));
    const groups = { 1: keysOf(rows, PRIORITY_1), 3: keysOf(rows, PRIORITY_3) };
    const previous = { 1: 0, 3: 0 };
    for (const read of input.reads) {
      if (read.client !== client.name) continue;
      const feasible: Partial<Record<1 | 3, Cuts>> = {};
      for (const group of read.groups) {
        const keys = new Set([...groups[group.priority], ...group.rows.keys()]);
        let cuts = EVERY_CUT;
        const seen: [string, Cuts][] = [];
        for (const key of keys) {
          if (read.excluded.has(key)) continue;
          const shown = group.rows.get(key) ?? ABSENT;
          const segments = timelines.get(key) ?? [{ from: 0, to: Number.POSITIVE_INFINITY, digest: ABSENT }];
          const fits = cutsShowing(segments, shown);
          const next = intersect(cuts, fits);
          if (next.length === 0) {
            // The rows read before it that rule its cuts out, by name.
            const against = seen
              .filter(([, other]) => intersect(other, fits).length === 0)
              .slice(0, 3)
              .map(([other, set]) => `${other} (${describeCuts(set)})`);
            violations.push({
              checker: 'whole transactions',
              message:
                `${client.name} (${client.user}) read priority-${group.priority} data that no single database state ` +
                `holds: ${key} ${shown === ABSENT ? 'absent' : 'as shown'} fits cuts ${describeCuts(fits)}, the rows ` +
                `read before it only ${describeCuts(cuts)}${against.length > 0 ? `, e.g. ${against.join(', ')}` : ''} ` +
                '(part of a source transaction, or a row that never existed)',
              at: read.at,
            });
            cuts = next;
            break;
          }
          seen.push([key, fits]);
          cuts = next;
        }
        if (cuts.length === 0) continue;
        const onward = atLeast(cuts, previous[group.priority]);
        if (onward.length === 0) {
          violations.push({
            checker: 'monotonic reads',
            message:
              `${client.name} (${client.user}) read priority-${group.priority} data from cut ${describeCuts(cuts)}, ` +
              `older than the cut ${previous[group.priority]} an earlier read had reached`,
            at: read.at,
          });
          continue;
        }
        previous[group.priority] = first(onward) ?? previous[group.priority];
        feasible[group.priority] = onward;
      }
      const high = feasible[1];
      const low = feasible[3];
      if (high && low && (first(low) ?? 0) > (last(high) ?? 0)) {
        violations.push({
          checker: 'priority order',
          message: `${client.name} read priority-3 data at cut ${first(low)}, ahead of its priority-1 data (${describeCuts(high)})`,
          at: read.at,
        });
      }
    }
  }
  return violations;
}

function keysOf(rows: readonly RowHistory[], tables: readonly string[]): string[] {
  return rows.filter((history) => tables.includes(history.table)).map((h) => rowKey(h.table, h.id));
}
