import type { IssuedTx, Outcome, UploadAttempt } from '../history.ts';
import type { Violation } from './violation.ts';

/** The rows that record an outcome in Postgres, per (PowerSync client id, operation id). */
export interface RecordedEffects {
  /** `write_conflicts` rows: client id, op id, conflict id. */
  conflicts: { clientId: string; opId: number; id: string }[];
  /** `rejections` rows: client id, op id, code, and their data as text (a dropped field's data names it). */
  rejections: { clientId: string; opId: number; code: string; data: string | null }[];
}

export interface OutcomesInput {
  issued: readonly IssuedTx[];
  uploads: readonly UploadAttempt[];
  /** Client name → PowerSync client id. */
  clientIds: ReadonlyMap<string, string>;
  effects: RecordedEffects;
}

const same = (a: Outcome, b: Outcome) => a.status === b.status && a.code === b.code && a.conflict_id === b.conflict_id;

/**
 * Every operation a client queued has exactly one fate: it was uploaded and completed, every
 * answer about it (a redelivery after a lost acknowledgement included) reports the same outcome,
 * and Postgres recorded that outcome once — a conflict row for a conflict, rejection rows for a
 * refusal (one per dropped field for a merge), nothing for a plain application. Nothing twice.
 */
export function checkOutcomes(input: OutcomesInput): Violation[] {
  const violations: Violation[] = [];
  const answers = new Map<string, Outcome[]>();
  const completed = new Map<string, number>();
  for (const upload of input.uploads) {
    for (const outcome of upload.outcomes ?? []) {
      const key = `${upload.client}#${outcome.op_id}`;
      answers.set(key, [...(answers.get(key) ?? []), outcome]);
    }
    if (upload.completed) {
      for (const opId of upload.opIds) {
        const key = `${upload.client}#${opId}`;
        completed.set(key, (completed.get(key) ?? 0) + 1);
      }
    }
  }
  const conflicts = countBy(input.effects.conflicts.map((c) => `${c.clientId}#${c.opId}`));
  const rejections = countBy(input.effects.rejections.map((r) => `${r.clientId}#${r.opId}#${r.code}#${r.data ?? ''}`));
  const rejected = countBy(input.effects.rejections.map((r) => `${r.clientId}#${r.opId}`));

  for (const tx of input.issued) {
    const clientId = input.clientIds.get(tx.client) ?? '?';
    for (const op of tx.ops) {
      const key = `${tx.client}#${op.opId}`;
      const what = `${tx.client} op ${op.opId} (${op.op} ${op.table} ${op.id}, "${tx.kind}")`;
      const list = answers.get(key) ?? [];
      const done = completed.get(key) ?? 0;
      if (list.length === 0) {
        violations.push({ checker: 'one outcome', message: `${what} never got an outcome`, at: tx.at });
        continue;
      }
      if (done !== 1) {
        violations.push({ checker: 'one outcome', message: `${what} was completed ${done} times`, at: tx.at });
      }
      const outcome = list[0] as Outcome;
      const other = list.find((o) => !same(o, outcome));
      if (other) {
        violations.push({
          checker: 'one outcome',
          message: `${what} was answered ${outcome.status}/${outcome.code ?? '-'} and also ${other.status}/${other.code ?? '-'}`,
          at: tx.at,
        });
      }
      const db = `${clientId}#${op.opId}`;
      const conflictRows = conflicts.get(db) ?? 0;
      const rejectionRows = rejected.get(db) ?? 0;
      const expectConflict = outcome.status === 'conflict' ? 1 : 0;
      if (conflictRows !== expectConflict) {
        violations.push({
          checker: 'no effect twice',
          message: `${what} is ${outcome.status} but has ${conflictRows} conflict row(s)`,
          at: tx.at,
        });
      }
      const expected =
        outcome.status === 'rejected'
          ? rejectionRows === 1
          : outcome.status === 'merged'
            ? rejectionRows >= 1
            : rejectionRows === 0;
      if (!expected) {
        violations.push({
          checker: 'no effect twice',
          message: `${what} is ${outcome.status} but has ${rejectionRows} rejection row(s)`,
          at: tx.at,
        });
      }
    }
  }
  for (const [key, count] of rejections) {
    if (count > 1) {
      violations.push({ checker: 'no effect twice', message: `rejection ${key} was recorded ${count} times` });
    }
  }
  return violations;
}

function countBy(keys: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}
