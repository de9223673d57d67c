import { isoFromMillis, parseTimestamp, sameValue } from '@cr/schema';
import type { Effect, Row } from './types.ts';

/** The row after an effect (null when deleted). Pure: the input row is not modified. */
export function applyEffect(table: string, id: string, current: Row | null, effect: Effect): Row | null {
  switch (effect.kind) {
    case 'insert':
      return { ...effect.row, id };
    case 'update':
      if (current === null) throw new Error(`update of missing row ${table}:${id}`);
      return { ...current, ...effect.set };
    case 'delete':
      return null;
  }
}

/** A version timestamp strictly after `previous` and no earlier than now. */
export function nextTimestamp(previous: unknown, now: string): string {
  const before = typeof previous === 'string' ? (parseTimestamp(previous) ?? 0) : 0;
  const current = parseTimestamp(now) ?? 0;
  return isoFromMillis(Math.max(current, before + 1));
}

/** Only the columns of `values` whose value differs from the row's (`sameValue`). */
export function changedColumns(row: Row, values: Record<string, unknown>): Record<string, unknown> {
  const changed: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(values)) {
    if (!sameValue(row[column], value)) changed[column] = value;
  }
  return changed;
}
