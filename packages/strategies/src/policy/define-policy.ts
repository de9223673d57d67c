import type { Schema, TableDefinition } from '@cr/schema';
import { RejectionCode } from '../codes.ts';
import { reject } from '../decisions.ts';
import { resolveHistory } from '../history/resolve-history.ts';
import { parseCrudEntry } from '../operation.ts';
import type { Strategy } from '../strategy.ts';
import type { Row } from '../types.ts';
import { checkFields } from './field-check.ts';
import { tableLabel } from './labels.ts';
import type { Policy, PolicyConfig, PolicyTable, TableConfig } from './policy-types.ts';
import { DEFAULT_STAMPS, stampColumns, stampValues } from './stamps.ts';

/**
 * Declares how each table of `schema` is governed, and derives from it what every other part
 * needs: who may write each table, version tokens, tracked fields, the client's change tracking
 * and the lock order. Every table of the schema needs an entry (checked by TypeScript and here);
 * strategies check their options against the table (a version column must be an integer …), so a
 * wrong policy fails when the app starts, not on the first upload.
 *
 * ```ts
 * const policy = definePolicy(schema, {
 *   roles: ['member'],
 *   tables: {
 *     notes: { strategy: version({ column: 'version' }), writers: ['member'] },
 *     counters: { strategy: delta({ column: 'value', min: 0 }), writers: ['member'] },
 *     write_conflicts: { strategy: recordConflicts() },
 *     rejections: { strategy: acknowledge() },
 *   },
 * });
 * ```
 */
export function definePolicy<S extends Schema, const R extends string = string>(
  schema: S,
  config: PolicyConfig<S, R>,
): Policy<S> {
  const configs = config.tables as Readonly<Record<string, TableConfig<R>>>;
  for (const name of Object.keys(configs)) {
    if (!schema.has(name)) throw new Error(`definePolicy: ${name} is not a table of the schema`);
  }
  const roles = config.roles ?? null;
  const checkRoles = (where: string, listed: readonly string[]) => {
    for (const role of listed) {
      if (roles && !roles.includes(role as R)) throw new Error(`definePolicy: ${where} names unknown role ${role}`);
    }
  };
  const stampConfig = { ...DEFAULT_STAMPS, ...config.stamps };
  const tables = new Map<string, PolicyTable>();
  let policy: Policy<S> | null = null;
  const self = (): Policy<S> => {
    if (!policy) throw new Error('definePolicy: a strategy used the policy before it was defined');
    return policy;
  };

  for (const name of schema.names) {
    const table = configs[name];
    if (!table) throw new Error(`definePolicy: table ${name} has no strategy`);
    checkRoles(`${name}.writers`, table.writers ?? []);
    for (const field of table.tracked ?? []) {
      if (schema.table(name).columns[field]?.spec.origin !== 'client') {
        throw new Error(`definePolicy: ${name}.tracked names ${field}, not a client column`);
      }
    }
    tables.set(name, bind(schema.table(name), table, stampConfig, self));
  }
  for (const [name, table] of tables) {
    const history = configs[name]?.history;
    if (history) (table as Mutable<PolicyTable>).history = resolveHistory(name, history, tables);
  }
  const lockOrder = config.lockOrder ?? schema.names;
  for (const name of schema.names) {
    if (!lockOrder.includes(name)) throw new Error(`definePolicy: lockOrder leaves out ${name}`);
  }
  const get = (name: string): PolicyTable => {
    const table = tables.get(name);
    if (!table) throw new Error(`no table named ${JSON.stringify(name)} in this policy`);
    return table;
  };
  const canWrite = (role: string, name: string) => {
    const writers = get(name).writers;
    return writers === null || writers.includes(role);
  };

  policy = {
    schema,
    roles,
    table: get,
    parse: (raw) => parseCrudEntry(schema, raw),
    canWrite,
    decide(op, rows, ctx) {
      const table = get(op.table);
      if (!canWrite(ctx.user.role, op.table)) {
        return reject(RejectionCode.TableNotPermitted, `A ${ctx.user.role} cannot change ${table.label.many}.`);
      }
      // A row's identity must not make its rules forgettable: a deleted id never comes back, or a
      // delete and a re-creation would reset a locked price, a final status, a version history.
      if (op.op === 'PUT' && rows.get(op.table, op.id) === null && rows.deleted?.(op.table, op.id)) {
        return reject(
          RejectionCode.RowDeleted,
          `This ${table.label.one} was deleted; its id cannot be used again. Create a new one instead.`,
        );
      }
      return table.strategy.decide(op, rows, ctx);
    },
    related: (op, rows) => get(op.table).strategy.related?.(op, rows) ?? [],
    clientTracking: Object.fromEntries(
      [...tables.values()]
        .filter((t) => t.tracking.trackPrevious || t.tracking.trackMetadata)
        .map((t) => [t.name, t.tracking]),
    ),
    lockOrder,
    checkFields: (name, values) => checkFields(get(name), values),
  };
  return policy;
}

function bind(
  definition: TableDefinition,
  config: TableConfig,
  stamps: typeof DEFAULT_STAMPS,
  policy: () => Policy,
): PolicyTable {
  const label = tableLabel(definition.name, config.label);
  const insertStamps = stampColumns(definition, stamps, 'insert');
  const writeStamps = stampColumns(definition, stamps, 'update');
  const writer = Object.entries(writeStamps).find(([, source]) => source === 'user')?.[0];
  const table: Mutable<PolicyTable> = {
    name: definition.name,
    definition,
    label,
    describe: config.describe ?? ((row) => `${label.one} ${row.id}`),
    writtenBy: (row) => (writer && row && typeof row[writer] === 'string' ? (row[writer] as string) : null),
    stampColumns: (kind) => (kind === 'insert' ? insertStamps : writeStamps),
    stamps: (kind, ctx) => stampValues(kind === 'insert' ? insertStamps : writeStamps, ctx),
    newRow(id, values, ctx, server = {}) {
      const row: Row = { id };
      for (const [column, builder] of Object.entries(definition.columns)) {
        const spec = builder.spec;
        if (spec.origin === 'client' && column in values) row[column] = values[column];
        else row[column] = spec.default !== undefined ? structuredClone(spec.default) : null;
      }
      return { ...row, ...stampValues(insertStamps, ctx), ...server };
    },
    checkValues(values) {
      const problem = config.checkValues?.(values);
      return problem ? reject(problem.code ?? RejectionCode.RuleViolation, problem.message) : null;
    },
    get policy() {
      return policy();
    },
    // Set below, once the strategy is bound to the table.
    strategy: null as unknown as Strategy,
    writers: config.writers ?? null,
    tracked: config.tracked ?? [],
    versionToken: null,
    tracking: {},
    history: null,
    snapshotsBase: false,
  };
  const strategy: Strategy = config.strategy(table);
  table.strategy = strategy;
  table.versionToken = strategy.versionToken ?? null;
  table.tracking = strategy.tracking ?? {};
  table.snapshotsBase = strategy.snapshotsBase ?? false;
  return table;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
