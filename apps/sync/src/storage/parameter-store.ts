import { JSONBig } from '@powersync/service-jsonbig';
import type { ParameterLookupRows, ScopedParameterLookup, SqliteJsonRow } from '@powersync/service-sync-rules';
import type pg from 'pg';
import type { StorageTables } from './storage-schema.ts';

/**
 * Reads parameter lookups as of a checkpoint: for each source row, its latest entry at or below
 * the checkpoint's op id. A row's removal is stored as an empty list, so it drops out here.
 */
export async function readParameterSets(
  db: pg.Pool,
  t: StorageTables,
  lookups: readonly ScopedParameterLookup[],
  checkpointOpId: number,
): Promise<ParameterLookupRows[]> {
  if (lookups.length === 0) return [];
  const keys = [...new Set(lookups.map((lookup) => lookup.serializedRepresentation))];
  const { rows } = await db.query<{ lookup: string; bucket_parameters: string }>(
    `SELECT DISTINCT ON (lookup, source_table, source_key) lookup, bucket_parameters
       FROM ${t.parameterIndex}
      WHERE lookup = ANY ($1::text[]) AND op_id <= $2
      ORDER BY lookup, source_table, source_key, op_id DESC`,
    [keys, checkpointOpId],
  );
  const byLookup = new Map<string, SqliteJsonRow[]>();
  for (const row of rows) {
    const parameters = JSONBig.parse(row.bucket_parameters) as SqliteJsonRow[];
    if (parameters.length === 0) continue;
    byLookup.set(row.lookup, [...(byLookup.get(row.lookup) ?? []), ...parameters]);
  }
  return lookups.map((lookup) => ({ lookup, rows: byLookup.get(lookup.serializedRepresentation) ?? [] }));
}
