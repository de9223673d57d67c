import type { PolicyTable, TableConfig } from '../policy/policy-types.ts';
import type { HistoryConfig } from './revision-writes.ts';
import { REVISION_COLUMNS } from './revisions-table.ts';

/** Checks a table's `history` option against the policy's tables: a wrong one fails at start. */
export function resolveHistory(
  name: string,
  option: NonNullable<TableConfig['history']>,
  tables: ReadonlyMap<string, PolicyTable>,
): HistoryConfig {
  const fail = (why: string): never => {
    throw new Error(`definePolicy: ${name}.history ${why}`);
  };
  const source = tables.get(name) ?? fail('belongs to no table');
  const revisions = tables.get(option.table) ?? fail(`names ${option.table}, not a table of the schema`);
  if (revisions.strategy.name !== 'read-only') {
    fail(`table ${option.table} must be readOnly(): clients read revisions, only the engine writes them`);
  }
  const columns = Object.keys(revisions.definition.columns);
  for (const column of REVISION_COLUMNS) {
    if (!columns.includes(column))
      fail(`table ${option.table} has no ${column} column (define it with revisionsTable)`);
  }
  const fields = columns.filter((column) => !(REVISION_COLUMNS as readonly string[]).includes(column));
  for (const field of fields) {
    if (!Object.hasOwn(source.definition.columns, field)) fail(`copies ${field}, which ${name} does not have`);
  }
  const version = source.versionToken?.column;
  if (!version || source.definition.columns[version]?.spec.kind !== 'integer') {
    fail('needs an integer version (version() or threeWayMerge()): a revision is one version');
  }
  if (source.tracked.length > 0) {
    fail('cannot be kept for a table with tracked field changes (the worker writes it without revisions)');
  }
  const { last, days } = option.keep;
  if (!Number.isSafeInteger(last) || last < 1) fail(`keep.last must be a whole number of versions ≥ 1, not ${last}`);
  if (!Number.isFinite(days) || days < 0) fail(`keep.days must be a number of days ≥ 0, not ${days}`);
  return { table: option.table, fields, version: version as string, keep: { last, days } };
}
