import type { FieldChangeRow } from '@cr/demo-domain';

export type FieldChange = Pick<
  FieldChangeRow,
  'id' | 'row_id' | 'field_name' | 'new_value' | 'status' | 'error_code' | 'error_message' | 'created_at' | 'updated_at'
>;

/** The value a change carries (new_value is JSON text); undefined when it cannot be read. */
export function decodeChangeValue(change: Pick<FieldChange, 'new_value'>): unknown {
  try {
    return JSON.parse(change.new_value);
  } catch {
    return undefined;
  }
}

export interface Overlaid<T> {
  /** The row as the user expects to see it: the server's values with pending changes on top. */
  values: T;
  /** Fields showing a value that the server has not applied yet. */
  pending: Set<string>;
  /** Fields whose latest change failed (the row shows the server's value). */
  failed: Set<string>;
}

/**
 * Overlays the user's tracked changes on a row: the latest change per field decides. A pending
 * one shows its value (marked pending); a failed one leaves the server's value (marked failed);
 * an applied one is already in the row. The row itself is never written by the editor: the
 * server's worker is the only path by which a tracked value reaches it.
 */
export function overlayPendingChanges<T extends { id: string }>(row: T, changes: readonly FieldChange[]): Overlaid<T> {
  const latest = new Map<string, FieldChange>();
  const ordered = [...changes]
    .filter((change) => change.row_id === row.id)
    .sort((a, b) => (a.updated_at ?? a.created_at ?? '').localeCompare(b.updated_at ?? b.created_at ?? ''));
  for (const change of ordered) latest.set(change.field_name, change);

  const values: Record<string, unknown> = { ...row };
  const pending = new Set<string>();
  const failed = new Set<string>();
  for (const [field, change] of latest) {
    if (change.status === 'pending') {
      const value = decodeChangeValue(change);
      if (value === undefined) continue;
      values[field] = value;
      pending.add(field);
    } else if (change.status === 'failed') {
      failed.add(field);
    }
  }
  return { values: values as T, pending, failed };
}
