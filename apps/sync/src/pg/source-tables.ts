import type { HydratedSyncConfig, SourceTableRef } from '@powersync/service-sync-rules';
import type pg from 'pg';
import { tableRef } from '../rules/sync-rules.ts';
import type { Relation, Tuple } from './pgoutput.ts';

export interface SourceColumn {
  name: string;
  typeOid: number;
}

/** A published table as the replicator sees it: columns in order, and how its rows are keyed. */
export interface SourceTable {
  /** `schema.name`; the identity of the table in bucket storage. */
  id: string;
  ref: SourceTableRef;
  columns: SourceColumn[];
  /** Positions of the replica identity columns; every column when the table has none. */
  keyIndexes: number[];
  syncsData: boolean;
  syncsParameters: boolean;
}

function build(
  schema: string,
  name: string,
  columns: SourceColumn[],
  keyIndexes: number[],
  rules: HydratedSyncConfig,
): SourceTable {
  const ref = tableRef(schema, name);
  return {
    id: `${schema}.${name}`,
    ref,
    columns,
    keyIndexes: keyIndexes.length > 0 ? keyIndexes : columns.map((_, index) => index),
    syncsData: rules.tableSyncsData(ref),
    syncsParameters: rules.tableSyncsParameters(ref),
  };
}

export function isSynced(table: SourceTable): boolean {
  return table.syncsData || table.syncsParameters;
}

/** The row's identity in storage: its replica identity values, as Postgres wrote them. */
export function sourceKey(table: SourceTable, tuple: Tuple): string {
  return JSON.stringify(table.keyIndexes.map((index) => tuple[index] ?? null));
}

/** The replica identity values of a {@link sourceKey}, in key order. */
export function sourceKeyValues(key: string): (string | null)[] {
  return JSON.parse(key) as (string | null)[];
}

export function tableFromRelation(relation: Relation, rules: HydratedSyncConfig): SourceTable {
  const keyIndexes = relation.columns.flatMap((column, index) => (column.isKey ? [index] : []));
  return build(
    relation.schema,
    relation.name,
    relation.columns.map(({ name, typeOid }) => ({ name, typeOid })),
    keyIndexes,
    rules,
  );
}

/**
 * The tables of the publication, with columns in attribute order (the order of `SELECT *` and
 * of pgoutput tuples) and their replica identity columns (what pgoutput marks as key).
 */
export async function listPublishedTables(
  db: pg.Pool | pg.PoolClient,
  publication: string,
  rules: HydratedSyncConfig,
): Promise<SourceTable[]> {
  const { rows } = await db.query<{ schema: string; name: string; column: string; type_oid: number; is_key: boolean }>(
    `SELECT n.nspname AS schema, c.relname AS name, a.attname AS column, a.atttypid::int AS type_oid,
            CASE c.relreplident
              WHEN 'f' THEN true
              WHEN 'd' THEN EXISTS (SELECT 1 FROM pg_index i
                                     WHERE i.indrelid = c.oid AND i.indisprimary AND a.attnum = ANY (i.indkey))
              WHEN 'i' THEN EXISTS (SELECT 1 FROM pg_index i
                                     WHERE i.indrelid = c.oid AND i.indisreplident AND a.attnum = ANY (i.indkey))
              ELSE false
            END AS is_key
       FROM pg_publication_tables pt
       JOIN pg_namespace n ON n.nspname = pt.schemaname
       JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = pt.tablename
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE pt.pubname = $1
      ORDER BY n.nspname, c.relname, a.attnum`,
    [publication],
  );
  const byTable = new Map<string, { schema: string; name: string; columns: SourceColumn[]; keys: number[] }>();
  for (const row of rows) {
    const id = `${row.schema}.${row.name}`;
    let entry = byTable.get(id);
    if (!entry) {
      entry = { schema: row.schema, name: row.name, columns: [], keys: [] };
      byTable.set(id, entry);
    }
    if (row.is_key) entry.keys.push(entry.columns.length);
    entry.columns.push({ name: row.column, typeOid: row.type_oid });
  }
  return [...byTable.values()].map((entry) => build(entry.schema, entry.name, entry.columns, entry.keys, rules));
}
