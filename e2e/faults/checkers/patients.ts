import type { ClientInfo, IssuedTx, UploadAttempt } from '../history.ts';
import type { RowHistory } from '../observer.ts';
import { canonicalValue } from '../rows.ts';
import { issuedOps, outcomesByOp } from './answers.ts';
import type { Violation } from './violation.ts';

export interface PatientsInput {
  issued: readonly IssuedTx[];
  uploads: readonly UploadAttempt[];
  rows: Iterable<RowHistory>;
  clients: readonly ClientInfo[];
}

interface Stamp {
  at: number;
  by: string;
  client: string;
  op: number;
}

/** Time of the edit, then author, client and operation (packages/strategies/docs/3-field-lww.md). */
function compare(a: Stamp, b: Stamp): number {
  if (a.at !== b.at) return a.at - b.at;
  if (a.by !== b.by) return a.by < b.by ? -1 : 1;
  if (a.client !== b.client) return a.client < b.client ? -1 : 1;
  return a.op - b.op;
}

const same = (column: string, a: unknown, b: unknown) =>
  JSON.stringify(canonicalValue('patients', column, a)) === JSON.stringify(canonicalValue('patients', column, b));

/**
 * Field-level last-write-wins: for every patient field, the final value is the one of the newest
 * accepted edit of that field (edit time, then author, client, operation), whatever order the
 * uploads arrived in, and `field_versions` names that edit.
 */
export function checkPatients(input: PatientsInput): { violations: Violation[]; fields: number } {
  const violations: Violation[] = [];
  const outcomes = outcomesByOp(input.uploads);
  const byName = new Map(input.clients.map((c) => [c.name, c]));
  const winners = new Map<string, { stamp: Stamp; value: unknown }>();
  for (const { tx, op, outcome } of issuedOps(input.issued, outcomes)) {
    if (op.table !== 'patients' || op.op !== 'PATCH') continue;
    if (outcome?.status !== 'applied' && outcome?.status !== 'merged') continue;
    const client = byName.get(tx.client);
    const at = Date.parse(String(op.metadata?.edited_at ?? ''));
    if (!client || Number.isNaN(at)) continue;
    const stamp: Stamp = { at, by: client.user, client: client.psClientId, op: op.opId };
    for (const [field, value] of Object.entries(op.data)) {
      const key = `${op.id}/${field}`;
      const current = winners.get(key);
      if (!current || compare(stamp, current.stamp) > 0) winners.set(key, { stamp, value });
    }
  }
  const finals = new Map<string, Record<string, unknown> | null>();
  for (const history of input.rows) {
    if (history.table === 'patients') finals.set(history.id, history.versions.at(-1)?.values ?? null);
  }
  for (const [key, winner] of winners) {
    const [id = '', field = ''] = key.split('/');
    const final = finals.get(id);
    if (!final) continue;
    if (!same(field, final[field], winner.value)) {
      violations.push({
        checker: 'field LWW',
        message: `patient ${id}.${field} is ${JSON.stringify(final[field])}, but the newest accepted edit (${winner.stamp.by} op ${winner.stamp.op}) set ${JSON.stringify(winner.value)}`,
      });
      continue;
    }
    const versions = JSON.parse(String(final.field_versions ?? '{}')) as Record<string, { by?: string; op?: number }>;
    const recorded = versions[field];
    if (recorded?.by !== winner.stamp.by || Number(recorded?.op) !== winner.stamp.op) {
      violations.push({
        checker: 'field LWW',
        message: `patient ${id}.${field}: field_versions names ${JSON.stringify(recorded)}, not ${winner.stamp.by} op ${winner.stamp.op}`,
      });
    }
  }
  return { violations, fields: winners.size };
}
