import { column, Schema as PowerSyncSchema, Table } from '@powersync/common';
import { clientTypeOf } from './columns.ts';
import type { Schema } from './schema.ts';
import type { ClientTracking, TableDefinition } from './table.ts';

export type { ClientTracking };

/**
 * The PowerSync client table for a definition, with the change tracking its strategy needs:
 * `trackPrevious` so an edit carries the version it was made on (old values travel in
 * `CrudEntry.previousValues` even when unchanged), `trackMetadata` for per-write metadata.
 */
export function toClientTable(definition: TableDefinition, tracking: ClientTracking = {}): Table {
  const columns = Object.fromEntries(
    Object.entries(definition.columns).map(([name, builder]) => [name, column[clientTypeOf(builder.spec.kind)]]),
  );
  for (const name of tracking.trackPrevious ?? []) {
    if (!(name in definition.columns))
      throw new Error(`${definition.name}: trackPrevious names unknown column ${name}`);
  }
  const indexes = Object.entries(definition.clientIndexes);
  return new Table(columns, {
    ...(tracking.trackPrevious?.length
      ? { trackPrevious: { columns: [...tracking.trackPrevious], onlyWhenChanged: false } }
      : {}),
    ...(tracking.trackMetadata ? { trackMetadata: true } : {}),
    ...(indexes.length ? { indexes: Object.fromEntries(indexes.map(([k, v]) => [k, [...v]])) } : {}),
  });
}

/**
 * The PowerSync client schema of an app: every synced table of `schema`, each with the change
 * tracking of its strategy (`policy.clientTracking` from @cr/strategies).
 */
export function toPowerSyncSchema(
  schema: Schema,
  tracking: Readonly<Record<string, ClientTracking>> = {},
): PowerSyncSchema {
  const definitions: TableDefinition[] = schema.names.map((name) => schema.table(name));
  return new PowerSyncSchema(
    Object.fromEntries(
      definitions
        .filter((definition) => definition.synced)
        .map((definition) => [definition.name, toClientTable(definition, tracking[definition.name])]),
    ),
  );
}
