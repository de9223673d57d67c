import type { IssuedTx, UploadAttempt } from '../history.ts';
import type { RowHistory } from '../observer.ts';
import { issuedOps, outcomesByOp, valuesAt } from './answers.ts';
import type { Violation } from './violation.ts';

export interface InventoryInput {
  issued: readonly IssuedTx[];
  uploads: readonly UploadAttempt[];
  rows: Iterable<RowHistory>;
  /** Cut at which the workload started: the stock then is the start. */
  startSeq: number;
}

/** The change an inventory PATCH asks for: the stated intent, else new − old. */
export function deltaOf(op: {
  data: Record<string, unknown>;
  old: Record<string, unknown> | null;
  metadata: Record<string, unknown> | null;
}): number {
  const intent = op.metadata?.delta;
  if (typeof intent === 'number') return intent;
  const next = op.data.quantity;
  const before = op.old?.quantity;
  return typeof next === 'number' && typeof before === 'number' ? next - before : 0;
}

/**
 * Stock adds up: every item's final quantity is its quantity when the workload started plus the
 * deltas of the sales and restocks the API reported applied (each once), and no committed
 * version of any item was ever below zero.
 */
export function checkInventory(input: InventoryInput): { violations: Violation[]; items: number } {
  const violations: Violation[] = [];
  const outcomes = outcomesByOp(input.uploads);
  const applied = new Map<string, number>();
  for (const { op, outcome } of issuedOps(input.issued, outcomes)) {
    if (op.table !== 'inventory' || op.op !== 'PATCH' || outcome?.status !== 'applied') continue;
    applied.set(op.id, (applied.get(op.id) ?? 0) + deltaOf(op));
  }
  let items = 0;
  for (const history of input.rows) {
    if (history.table !== 'inventory') continue;
    items += 1;
    for (const version of history.versions) {
      const quantity = Number(version.values?.quantity ?? 0);
      if (version.seq > input.startSeq && quantity < 0) {
        violations.push({ checker: 'inventory', message: `${history.id} went to ${quantity} at cut ${version.seq}` });
      }
    }
    const start = valuesAt(history.versions, input.startSeq);
    const final = history.versions[history.versions.length - 1]?.values ?? null;
    if (start === null || final === null) continue;
    const expected = Number(start.quantity) + (applied.get(history.id) ?? 0);
    if (Number(final.quantity) !== expected) {
      violations.push({
        checker: 'inventory',
        message: `${history.id}: ${final.quantity} in stock, but ${start.quantity} at the start plus the applied deltas (${applied.get(history.id) ?? 0}) is ${expected}`,
      });
    }
  }
  return { violations, items };
}
