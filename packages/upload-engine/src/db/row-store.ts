import { normalizeTimestamp, storableRow, type TableDefinition } from '@cr/schema';
import type { Policy, Row, RowChange, RowKey, WorkingSet } from '@cr/strategies';
import type pg from 'pg';
import { preparedQuery } from './prepared.ts';
import type { WriteStatement } from './write-statement.ts';

/**
 * The database side of the working set: lock, load and write rows of the schema's tables with a
 * fixed number of statements per batch, whatever its size. Every identifier in the SQL comes
 * from the schema passed in and is checked again here; values always travel as parameters.
 */

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

function ident(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`refusing unsafe SQL identifier ${JSON.stringify(name)}`);
  return `"${name}"`;
}

interface TableSql {
  idType: string;
  load: (ids: string) => string;
  insert: (json: string) => string;
  update: (json: string, ids: string) => string;
  remove: (ids: string) => string;
  decode(row: Record<string, unknown>): Row;
}

function buildSql(table: TableDefinition): TableSql {
  const columns = Object.keys(table.columns);
  const all = ['id', ...columns].map(ident).join(', ');
  const t = ident(table.name);
  const timestamps = columns.filter((c) => table.columns[c]?.spec.kind === 'timestamp');
  const built: TableSql = {
    idType: table.id === 'uuid' ? 'uuid[]' : 'text[]',
    load: (ids) => `SELECT ${all} FROM ${t} WHERE "id" = ANY(${ids}) FOR UPDATE`,
    insert: (json) => `INSERT INTO ${t} (${all}) SELECT ${all} FROM json_populate_recordset(NULL::${t}, ${json})`,
    // `t.id = ANY(ids)` lets the planner find the rows by primary key: a join with the JSON rows
    // alone is planned for 100 of them, and on a small table becomes a scan of the whole table.
    update: (json, ids) =>
      `UPDATE ${t} AS t SET ${columns.map((c) => `${ident(c)} = x.${ident(c)}`).join(', ')}
       FROM json_populate_recordset(NULL::${t}, ${json}) AS x WHERE t."id" = ANY(${ids}) AND t."id" = x."id"`,
    remove: (ids) => `DELETE FROM ${t} WHERE "id" = ANY(${ids})`,
    decode(row) {
      // row_to_json writes ISO 8601 with an offset ("2026-11-01T09:00:00.123456+00:00"), which
      // Date.parse reads exactly: the fast way to the canonical form for thousands of rows.
      for (const column of timestamps) {
        const value = row[column];
        if (typeof value !== 'string') continue;
        const ms = Date.parse(value);
        row[column] = Number.isNaN(ms) ? (normalizeTimestamp(value) ?? value) : new Date(ms).toISOString();
      }
      return row as Row;
    },
  };
  return built;
}

export type { RowKey };

interface Retention {
  keep: { last: number; days: number };
  rowIdType: string;
}

/** The retention of `table` when it is some table's revisions table (policy option `history`). */
function retentionOf(policy: Policy, table: string): Retention | null {
  for (const name of policy.schema.names) {
    const history = policy.table(name).history;
    if (history?.table === table) {
      return { keep: history.keep, rowIdType: policy.table(name).definition.id === 'uuid' ? 'uuid[]' : 'text[]' };
    }
  }
  return null;
}

const DAY_MS = 86_400_000;

/**
 * Retention, in the statement that writes new revisions: of each row that got one, the revisions
 * older than its newest `keep.last` versions AND older than `keep.days` days before the newest
 * revision are deleted. (The new revisions are not visible to this DELETE, and never deletable:
 * they are the newest.) A row nobody writes keeps its history until it is written again.
 */
function addPruning(statement: WriteStatement, table: string, retention: Retention, inserted: readonly Row[]): void {
  const newest = new Map<string, { version: number; at: number }>();
  for (const revision of inserted) {
    const id = String(revision.row_id);
    const version = Number(revision.version);
    const at = Date.parse(String(revision.created_at));
    const seen = newest.get(id);
    if (!seen || version > seen.version) newest.set(id, { version, at: Number.isNaN(at) ? 0 : at });
  }
  const ids = [...newest.keys()];
  const below = ids.map((id) => (newest.get(id)?.version ?? 0) - retention.keep.last);
  const before = ids.map((id) => new Date((newest.get(id)?.at ?? 0) - retention.keep.days * DAY_MS).toISOString());
  statement.add(
    `DELETE FROM ${ident(table)} AS r
      USING unnest(${statement.param(ids, retention.rowIdType)}, ${statement.param(below, 'integer[]')},
                   ${statement.param(before, 'timestamptz[]')}) AS x(row_id, below, before)
      WHERE r."row_id" = x.row_id AND r."version" <= x.below AND r."created_at" < x.before`,
  );
}

/** The rows of a policy's tables in Postgres: see {@link RowStore.load} and {@link RowStore.addChanges}. */
export interface RowStore {
  load(
    client: pg.ClientBase,
    set: WorkingSet,
    keys: readonly RowKey[],
    prefix?: { cte: string; params: unknown[] },
  ): Promise<Record<string, unknown>[]>;
  addChanges(statement: WriteStatement, changes: readonly RowChange[], deletion?: { by: string; at: string }): void;
}

/**
 * The row store of a policy. Rows are locked table by table in the policy's lock order (derived
 * from the schema: referenced tables first), so concurrent batches and workers lock alike.
 */
export function createRowStore(policy: Policy): RowStore {
  const order = policy.lockOrder;
  const sql = new Map(order.map((name) => [name, buildSql(policy.table(name).definition)]));
  const sqlFor = (name: string): TableSql => {
    const built = sql.get(name);
    if (!built) throw new Error(`row-store: ${JSON.stringify(name)} is not a table of the policy`);
    return built;
  };
  return {
    load: (client, set, keys, prefix) => loadRows(order, sqlFor, client, set, keys, prefix),
    addChanges: (statement, changes, deletion) => addChanges(order, sqlFor, policy, statement, changes, deletion),
  };
}

/**
 * Loads rows into the working set, locked FOR UPDATE, in one statement (absent rows are recorded
 * as absent, with their tombstone if the id belonged to a deleted row). `prefix` adds another
 * read to the same round trip (the ledger), under table index -1.
 *
 * Locks are taken table by table in a fixed order and, within a table, in index order, so two
 * batches lock shared rows in the same order. Rows that do not exist yet cannot be locked: two
 * batches inserting the same id both decide "insert", and the second one's write fails on the
 * primary key; the upload path then decides it again, one operation at a time, seeing the row.
 * A tombstone written while this statement waited for a lock is not seen here; the database
 * refuses the insert then (trigger refuse_deleted_id) and the same path decides again.
 */
async function loadRows(
  order: readonly string[],
  sqlFor: (name: string) => TableSql,
  client: pg.ClientBase,
  set: WorkingSet,
  keys: readonly RowKey[],
  prefix?: { cte: string; params: unknown[] },
): Promise<Record<string, unknown>[]> {
  const missing = keys.filter((k) => !set.has(k.table, k.id));
  if (missing.length === 0 && !prefix) return [];
  const byTable = new Map<string, Set<string>>();
  for (const { table, id } of missing) byTable.set(table, (byTable.get(table) ?? new Set()).add(id));
  const tables = order.filter((t) => byTable.has(t));
  const params: unknown[] = [...(prefix?.params ?? [])];
  const ctes = prefix ? [`p AS (${prefix.cte})`] : [];
  const selects = prefix ? ['SELECT -1 AS t, row_to_json(p) AS r FROM p'] : [];
  tables.forEach((table, i) => {
    params.push([...(byTable.get(table) ?? [])]);
    ctes.push(`l${i} AS (${sqlFor(table).load(`$${params.length}::${sqlFor(table).idType}`)})`);
    selects.push(`SELECT ${i} AS t, row_to_json(l${i}) AS r FROM l${i}`);
  });
  if (missing.length > 0) {
    params.push(
      missing.map((k) => k.table),
      missing.map((k) => k.id),
    );
    ctes.push(`d AS (SELECT table_name, row_id FROM deleted_rows
                      WHERE (table_name, row_id) IN (SELECT * FROM unnest($${params.length - 1}::text[], $${params.length}::text[])))`);
    selects.push('SELECT -2 AS t, row_to_json(d) AS r FROM d');
  }
  const { rows } = await preparedQuery<{ t: number; r: Record<string, unknown> }>(
    client,
    `WITH ${ctes.join(', ')} ${selects.join(' UNION ALL ')}`,
    params,
  );
  const found = new Map<string, Row>();
  const tombstones = new Set<string>();
  const extra: Record<string, unknown>[] = [];
  for (const { t, r } of rows) {
    if (t === -1) extra.push(r);
    else if (t === -2) tombstones.add(`${String(r.table_name)}:${String(r.row_id)}`);
    else {
      const table = tables[t] as string;
      found.set(`${table}:${String(r.id)}`, sqlFor(table).decode(r));
    }
  }
  for (const { table, id } of missing) {
    const key = `${table}:${id}`;
    set.load(table, id, found.get(key) ?? null, tombstones.has(key));
  }
  return extra;
}

/**
 * Adds the final state of every changed row to the batch's write statement; a deleted row leaves
 * a tombstone (`deleted_rows`), so its id is never used again. Every row passes
 * through `storableRow` here, the one door to Postgres: whatever a strategy recorded (a refused
 * operation's data, the table name it claimed), Postgres can store it.
 */
function addChanges(
  order: readonly string[],
  sqlFor: (name: string) => TableSql,
  policy: Policy,
  statement: WriteStatement,
  changes: readonly RowChange[],
  deletion?: { by: string; at: string },
): void {
  const groups = new Map<string, { insert: Row[]; update: Row[]; remove: string[] }>();
  for (const change of changes) {
    const group = groups.get(change.table) ?? { insert: [], update: [], remove: [] };
    if (change.after === null) {
      if (change.before !== null) group.remove.push(change.id);
    } else if (change.before === null)
      group.insert.push(storableRow(policy.table(change.table).definition, change.after));
    else group.update.push(storableRow(policy.table(change.table).definition, change.after));
    groups.set(change.table, group);
  }
  for (const table of order) {
    const group = groups.get(table);
    if (!group) continue;
    const sql = sqlFor(table);
    if (group.remove.length) {
      if (!deletion) throw new Error(`row-store: deleting ${table} rows needs who deleted them, for the tombstones`);
      statement.add(sql.remove(statement.param(group.remove, sql.idType)));
      statement.add(
        `INSERT INTO deleted_rows (table_name, row_id, deleted_by, deleted_at)
         SELECT ${statement.param(table, 'text')}, id, ${statement.param(deletion.by, 'text')}, ${statement.param(deletion.at, 'timestamptz')}
           FROM unnest(${statement.param(group.remove, 'text[]')}) AS id ON CONFLICT DO NOTHING`,
      );
    }
    if (group.insert.length) statement.add(sql.insert(statement.param(JSON.stringify(group.insert), 'json')));
    const retention = retentionOf(policy, table);
    if (retention && group.insert.length) addPruning(statement, table, retention, group.insert);
    if (group.update.length) {
      const ids = statement.param(
        group.update.map((row) => row.id),
        sql.idType,
      );
      statement.add(sql.update(statement.param(JSON.stringify(group.update), 'json'), ids));
    }
  }
}
