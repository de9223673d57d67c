import type { ClientTracking, Schema, TableNameOf } from '@cr/schema';
import type { HistoryConfig } from '../history/revision-writes.ts';
import type { ParsedEntry, RawCrudEntry } from '../operation.ts';
import type { Strategy, StrategyFactory, TableContext } from '../strategy.ts';
import type { Context, Decision, Operation, Row, RowKey, RowSource, VersionToken } from '../types.ts';
import type { FieldProblem } from './field-check.ts';
import type { StampConfig } from './stamps.ts';

/** What an app's rule on values says when it refuses them. */
export interface ValueProblem {
  /** A stable code; RULE_VIOLATION when not given. */
  code?: string;
  message: string;
}

/** How one table is governed. */
export interface TableConfig<R extends string = string> {
  /** The strategy: `timestamp({ column })`, `version({ column })`, `rules(fn)`, `readOnly()` … */
  strategy: StrategyFactory;
  /**
   * Roles that may write the table (from the signed token). Without it, the strategy alone
   * decides who may (the outcome tables: their owner; a read-only table: nobody).
   */
  writers?: readonly R[];
  /** How messages name the table: "note" (or `{ one: 'person', many: 'people' }`). */
  label?: string | { one: string; many: string };
  /** How messages name one row ("Blue mug"); default "<label> <id>". */
  describe?: (row: Row) => string;
  /**
   * Rules on values beyond the column types, on every path that writes them: direct edits,
   * tracked field changes, conflict resolutions, and forms (`checkFields`).
   */
  checkValues?: (values: Record<string, unknown>) => ValueProblem | null;
  /** Fields that may be edited through tracked field changes (`trackChanges()` on field_changes). */
  tracked?: readonly string[];
  /**
   * Keep every applied version of a row as a revision in `table` (defined with `revisionsTable`,
   * governed by `readOnly()`), written in the same database transaction as the version. Retention:
   * the last `keep.last` versions of each row, and every version from the last `keep.days` days;
   * older ones are pruned when the row is next written. Needs an integer version (`version()`,
   * `threeWayMerge()`).
   */
  history?: { table: string; keep: { last: number; days: number } };
}

export interface PolicyConfig<S extends Schema, R extends string> {
  /** Every role there is: `writers` and role options are checked against it. */
  roles?: readonly R[];
  tables: { readonly [K in TableNameOf<S>]: TableConfig<R> };
  /** Server-owned who/when columns the engine sets (default: created_by/at, updated_by/at). */
  stamps?: StampConfig;
  /**
   * The order rows of each table are locked in, so concurrent uploads and workers lock alike
   * (default: the schema's order; list referenced tables first).
   */
  lockOrder?: readonly TableNameOf<S>[];
}

/** A table with its bound strategy and everything the policy derives for it. */
export interface PolicyTable extends TableContext {
  readonly strategy: Strategy;
  /** Who may write it; null: the strategy decides. */
  readonly writers: readonly string[] | null;
  /** Fields editable through tracked field changes ([] when none). */
  readonly tracked: readonly string[];
  /** Its optimistic-concurrency version, when its strategy keeps one. */
  readonly versionToken: VersionToken | null;
  /** The change tracking its strategy needs on the client. */
  readonly tracking: ClientTracking;
  /** Whether its edits carry the base value of each field they change (`Strategy.snapshotsBase`). */
  readonly snapshotsBase: boolean;
  /** Where its revisions go and how long they are kept (option `history`); null: none kept. */
  readonly history: HistoryConfig | null;
}

/**
 * The table → strategy policy of an app, in one place, and everything derived from it: who may
 * write each table, version tokens, tracked fields, the client's change tracking, the lock order.
 */
export interface Policy<S extends Schema = Schema> {
  readonly schema: S;
  /** Every role there is, when the app listed them. */
  readonly roles: readonly string[] | null;
  /** The table called `name` (a schema table; check uploaded names with `schema.has`). */
  table(name: string): PolicyTable;
  /** Parses an uploaded `CrudEntry.toJSON()` against the schema. */
  parse(raw: RawCrudEntry): ParsedEntry;
  /**
   * Decides one operation: the role's right to write the table first, tombstones, then the
   * table's strategy. Pure: everything it needs is in the operation, the rows and the context.
   */
  decide(op: Operation, rows: RowSource, ctx: Context): Decision;
  /** Rows an operation reads besides its own (loaded and locked before deciding). */
  related(op: Operation, rows: RowSource): RowKey[];
  /** Whether `role` may write `table` (its `writers`; a table without writers: yes, its strategy decides). */
  canWrite(role: string, table: string): boolean;
  /** The client's `trackPrevious` / `trackMetadata` per table (for `toPowerSyncSchema`). */
  readonly clientTracking: Readonly<Record<string, ClientTracking>>;
  /** Tables in the order their rows are locked. */
  readonly lockOrder: readonly string[];
  /** What a form should say about values before they are saved: the upload's own validators. */
  checkFields(table: string, values: Record<string, unknown>): FieldProblem[];
}
