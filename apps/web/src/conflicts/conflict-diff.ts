import { schema } from '@cr/demo-domain';
import { sameValue } from '@cr/schema';
import { rowName } from '../ui/field-labels.ts';

export interface ConflictField {
  field: string;
  /** The value the conflicting edit wanted. */
  mine: unknown;
  /** The value on the server when the conflict was recorded. */
  server: unknown;
  differs: boolean;
}

/** Columns that are versions or bookkeeping, not something a person chooses between. */
const NOT_COMPARED = new Set(['id', 'modified_at', 'version', '_metadata']);

function clientColumns(table: string): string[] {
  if (!schema.has(table)) return [];
  return Object.entries(schema.table(table).columns)
    .filter(([column, builder]) => builder.spec.origin === 'client' && !NOT_COMPARED.has(column))
    .map(([column]) => column);
}

/**
 * The fields of a conflict side by side: the fields the edit changed, in the table's column
 * order, each with its value on both sides and whether they differ. When the edit changed
 * nothing comparable (a delete, an unknown table), every field either side has is shown.
 */
export function conflictFields(
  table: string,
  clientValues: Record<string, unknown> | null,
  serverValues: Record<string, unknown> | null,
): ConflictField[] {
  const mine = clientValues ?? {};
  const server = serverValues ?? {};
  const columns = clientColumns(table);
  const known = columns.length > 0 ? columns : [...new Set([...Object.keys(mine), ...Object.keys(server)])];
  const edited = known.filter((column) => column in mine && !NOT_COMPARED.has(column));
  const shown = edited.length > 0 ? edited : known.filter((column) => column in mine || column in server);
  return shown.map((field) => ({
    field,
    mine: mine[field],
    server: server[field],
    differs: !sameValue(mine[field], server[field]),
  }));
}

export type Choice = 'mine' | 'server';

/** The values of a field-by-field merge: for each field, the side chosen (default: server). */
export function mergedValues(
  fields: readonly ConflictField[],
  choices: Readonly<Record<string, Choice>>,
): Record<string, unknown> {
  return Object.fromEntries(
    fields.map(({ field, mine, server }) => [field, (choices[field] ?? 'server') === 'mine' ? mine : server]),
  );
}

/** A name for the row a conflict is about: its title or name on either side, else its id. */
export function conflictRowLabel(
  rowId: string,
  clientValues: Record<string, unknown> | null,
  serverValues: Record<string, unknown> | null,
): string {
  return rowName(serverValues) ?? rowName(clientValues) ?? rowId;
}
