import { column, Schema, Table } from '@powersync/common';
import { clientTypeOf } from './columns.ts';
import type { TableDefinition } from './table.ts';
import { tables } from './tables.ts';

/**
 * Builds the PowerSync client table for a definition, with the change tracking its strategy
 * needs: `trackPrevious` so an edit carries the version it was made on (old values travel in
 * `CrudEntry.previousValues` even when unchanged), `trackMetadata` for per-write metadata.
 */
export function toClientTable(definition: TableDefinition): Table {
  const columns = Object.fromEntries(
    Object.entries(definition.columns).map(([name, builder]) => [name, column[clientTypeOf(builder.spec.kind)]]),
  );
  const { trackPrevious, trackMetadata, indexes } = definition.client;
  return new Table(columns, {
    ...(trackPrevious ? { trackPrevious: { columns: [...trackPrevious.columns], onlyWhenChanged: false } } : {}),
    ...(trackMetadata ? { trackMetadata: true } : {}),
    ...(indexes ? { indexes: Object.fromEntries(Object.entries(indexes).map(([k, v]) => [k, [...v]])) } : {}),
  });
}

/** The PowerSync client schema: every synced table of packages/schema. */
export const AppSchema = new Schema(
  Object.fromEntries(
    Object.values(tables)
      .filter((definition) => definition.synced)
      .map((definition) => [definition.name, toClientTable(definition)]),
  ),
);

export type Database = (typeof AppSchema)['types'];
