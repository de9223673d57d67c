import type { IssuedTx, Outcome, UploadAttempt } from '../history.ts';

/** The (first) outcome the API reported for each operation: `client#opId` → outcome. */
export function outcomesByOp(uploads: readonly UploadAttempt[]): Map<string, Outcome> {
  const outcomes = new Map<string, Outcome>();
  for (const upload of uploads) {
    for (const outcome of upload.outcomes ?? []) {
      const key = `${upload.client}#${outcome.op_id}`;
      if (!outcomes.has(key)) outcomes.set(key, outcome);
    }
  }
  return outcomes;
}

/** Every issued operation with its outcome (undefined when none was reported). */
export function* issuedOps(issued: readonly IssuedTx[], outcomes: ReadonlyMap<string, Outcome>) {
  for (const tx of issued) {
    for (const op of tx.ops) yield { tx, op, outcome: outcomes.get(`${tx.client}#${op.opId}`) };
  }
}

/** A row's values at cut `seq` (null: absent). */
export function valuesAt<T extends { seq: number; values: Record<string, unknown> | null }>(
  versions: readonly T[],
  seq: number,
): Record<string, unknown> | null {
  let values: Record<string, unknown> | null = null;
  for (const version of versions) {
    if (version.seq > seq) break;
    values = version.values;
  }
  return values;
}
