import { policy } from '@cr/demo-domain';
import { clientColumns } from '@cr/schema';
import { describeRecord, fieldLabel, rowName, tableNoun } from '../ui/field-labels.ts';
import { formatWhen } from '../ui/format.ts';
import { parseJsonColumn } from '../ui/ids.ts';

/** A refused change as the rejections list loads it: the row it is about is joined by name. */
export interface RejectionView {
  id: string;
  table_name: string;
  row_id: string;
  code: string;
  message: string;
  created_at: string | null;
  data: string | null;
  /** The table of the record the change was about (a tracked change is about a task). */
  record_table: string;
  /** The record's title / name / customer, when it is on this device. */
  record_name: string | null;
  /** Per-field stamps of a patient record, to say who changed a field later. */
  field_versions: string | null;
}

/** A value the refused change wanted, to copy or restore. */
export interface NotApplied {
  table: string;
  field: string;
  value: unknown;
}

/** The tables a person edits directly: those with writers in the policy. */
const isEditable = (name: string): boolean => policy.schema.has(name) && policy.table(name).writers !== null;

/** The values the refused change carried, by the fields a person edits (not versions or stamps). */
export function notApplied(rejection: RejectionView): NotApplied[] {
  const data = parseJsonColumn<Record<string, unknown>>(rejection.data) ?? {};
  if (rejection.code === 'FIELD_SUPERSEDED' && typeof data.field === 'string') {
    return [{ table: rejection.table_name, field: data.field, value: data.attempted }];
  }
  if (rejection.table_name === 'field_changes' && typeof data.field_name === 'string') {
    const decoded = parseJsonColumn(data.new_value);
    return [{ table: String(data.table_name ?? 'tasks'), field: data.field_name, value: decoded ?? data.new_value }];
  }
  const table = rejection.table_name;
  // Stock moves are changes, not values: restoring "the quantity" would be a different change.
  if (!isEditable(table) || table === 'inventory') return [];
  const version = policy.table(table).versionToken?.column;
  return clientColumns(policy.table(table).definition)
    .filter((field) => field !== version && Object.hasOwn(data, field))
    .map((field) => ({ table, field, value: data[field] }));
}

/** The record a refusal is about, named: the order for Northwind Cafe, task “Label the shelves”. */
export function rejectionRecord(rejection: RejectionView): string {
  const data = parseJsonColumn<Record<string, unknown>>(rejection.data);
  const name = rejection.record_name ?? rowName(data);
  return describeRecord(rejection.record_table, name);
}

/**
 * What happened, in words a person can act on: names and friendly times instead of ids and ISO
 * strings; the field's rule when a value was refused. The server's message (and code) stay
 * available as secondary text.
 */
export function rejectionStory(rejection: RejectionView, nameOf: (id: unknown) => string): string {
  const data = parseJsonColumn<Record<string, unknown>>(rejection.data) ?? {};
  const noun = tableNoun(rejection.record_table);
  switch (rejection.code) {
    case 'FIELD_SUPERSEDED': {
      const field = String(data.field ?? '');
      const stamps = parseJsonColumn<Record<string, { at?: string; by?: string }>>(rejection.field_versions);
      const stamp = stamps?.[field];
      const who = stamp?.by ? nameOf(stamp.by) : 'someone';
      const when = stamp?.at ? ` (${formatWhen(stamp.at)})` : '';
      return `Your edit of the ${fieldLabel(rejection.table_name, field).toLowerCase()} was not applied: ${who} changed it later${when}.`;
    }
    case 'ROW_NOT_FOUND':
    case 'TARGET_DELETED':
      return `The ${noun} was deleted before your change arrived.`;
    case 'ALREADY_RESOLVED':
      return 'Someone had already resolved this conflict; your choice was not applied.';
    case 'STALE_RESOLUTION':
      return `The ${noun} changed again after the conflict was recorded; look at the new version and choose again.`;
    case 'INVALID_VALUE':
    case 'NOT_NULL':
    case 'RULE_VIOLATION': {
      const table = rejection.table_name;
      if (isEditable(table)) {
        const values = Object.fromEntries(notApplied(rejection).map((entry) => [entry.field, entry.value]));
        const problem = policy.checkFields(table, values)[0];
        if (problem) return `${fieldLabel(table, problem.field)}: ${problem.hint}`;
      }
      return rejection.message;
    }
    default:
      return rejection.message;
  }
}
