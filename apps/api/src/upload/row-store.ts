import { getTable, normalizeTimestamp, TABLE_NAMES, type TableDefinition, type TableName } from '@cr/schema';
import type { Row, RowChange, WorkingSet } from '@cr/strategies';
import type pg from 'pg';

/**
 * The database side of the working set: lock, load and write rows of the schema's tables with a
 * handful of set-based statements per batch, whatever its size. Every identifier in the SQL comes
 * from packages/schema and is checked again here; values always travel as parameters.
 */

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

function ident(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`refusing unsafe SQL identifier ${JSON.stringify(name)}`);
  return `"${name}"`;
}

interface TableSql {
  load: string;
  insert: string;
  update: string;
  remove: string;
  decode(row: Record<string, unknown>): Row;
}

/** Dependency order: referenced tables first (inserts, updates), referencing first (deletes). */
const WRITE_ORDER: readonly TableName[] = [
  'users',
  'inventory',
  'tasks',
  'documents',
  'patients',
  'orders',
  'write_conflicts',
  'field_changes',
  'rejections',
];

for (const name of TABLE_NAMES) {
  if (!WRITE_ORDER.includes(name)) throw new Error(`row-store: table ${name} has no place in WRITE_ORDER`);
}

const cache = new Map<TableName, TableSql>();

function sqlFor(name: TableName): TableSql {
  const cached = cache.get(name);
  if (cached) return cached;
  const table: TableDefinition = getTable(name);
  const columns = Object.keys(table.columns);
  const all = ['id', ...columns].map(ident);
  const t = ident(table.name);
  const idType = table.id === 'uuid' ? 'uuid[]' : 'text[]';
  const timestamps = columns.filter((c) => table.columns[c]?.spec.kind === 'timestamp');
  const built: TableSql = {
    load: `SELECT ${all.join(', ')} FROM ${t} WHERE "id" = ANY($1::${idType}) FOR UPDATE`,
    insert: `INSERT INTO ${t} (${all.join(', ')}) SELECT ${all.join(', ')} FROM jsonb_populate_recordset(NULL::${t}, $1::jsonb)`,
    update: `UPDATE ${t} AS t SET ${columns.map((c) => `${ident(c)} = x.${ident(c)}`).join(', ')}
             FROM jsonb_populate_recordset(NULL::${t}, $1::jsonb) AS x WHERE t."id" = x."id"`,
    remove: `DELETE FROM ${t} WHERE "id" = ANY($1::${idType})`,
    decode(row) {
      const decoded = { ...row } as Row;
      for (const column of timestamps) {
        const value = decoded[column];
        if (typeof value === 'string') decoded[column] = normalizeTimestamp(value) ?? value;
      }
      return decoded;
    },
  };
  cache.set(name, built);
  return built;
}

export interface RowKey {
  table: TableName;
  id: string;
}

/**
 * Serialises every writer of the same rows, existing or not yet inserted: a transaction-scoped
 * advisory lock per (table, id), taken in one sorted order so that two batches cannot deadlock.
 */
export async function lockRows(client: pg.ClientBase, keys: readonly RowKey[]): Promise<void> {
  if (keys.length === 0) return;
  const texts = [...new Set(keys.map((k) => `${k.table}:${k.id}`))].sort();
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest($1::text[]) AS k', [texts]);
}

/** Locks and loads the rows into the working set (absent rows are recorded as absent). */
export async function loadRows(client: pg.ClientBase, set: WorkingSet, keys: readonly RowKey[]): Promise<void> {
  const missing = keys.filter((k) => !set.has(k.table, k.id));
  if (missing.length === 0) return;
  await lockRows(client, missing);
  const byTable = new Map<TableName, Set<string>>();
  for (const { table, id } of missing) {
    const ids = byTable.get(table) ?? new Set<string>();
    ids.add(id);
    byTable.set(table, ids);
  }
  for (const [table, ids] of byTable) {
    const sql = sqlFor(table);
    const { rows } = await client.query(sql.load, [[...ids]]);
    const found = new Map(rows.map((row: Record<string, unknown>) => [String(row.id), sql.decode(row)]));
    for (const id of ids) set.load(table, id, found.get(id) ?? null);
  }
}

/** Writes the final state of every changed row: inserts, updates, deletes, in dependency order. */
export async function flushChanges(client: pg.ClientBase, changes: readonly RowChange[]): Promise<void> {
  const groups = new Map<TableName, { insert: Row[]; update: Row[]; remove: string[] }>();
  for (const change of changes) {
    const group = groups.get(change.table) ?? { insert: [], update: [], remove: [] };
    if (change.after === null) {
      if (change.before !== null) group.remove.push(change.id);
    } else if (change.before === null) group.insert.push(change.after);
    else group.update.push(change.after);
    groups.set(change.table, group);
  }
  for (const table of [...WRITE_ORDER].reverse()) {
    const group = groups.get(table);
    if (group?.remove.length) await client.query(sqlFor(table).remove, [group.remove]);
  }
  for (const table of WRITE_ORDER) {
    const group = groups.get(table);
    if (group?.insert.length) await client.query(sqlFor(table).insert, [JSON.stringify(group.insert)]);
    if (group?.update.length) await client.query(sqlFor(table).update, [JSON.stringify(group.update)]);
  }
}
