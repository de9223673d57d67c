import type { TableDefinition } from '@cr/schema';
import type { Rejected } from './decisions.ts';
import type { Policy } from './policy/policy-types.ts';
import type { ClientTracking, Context, Decision, Operation, Row, RowKey, RowSource, VersionToken } from './types.ts';

/** How messages name a table's rows: "a note", "3 notes". */
export interface TableLabel {
  one: string;
  many: string;
}

/**
 * A table as a strategy sees it once the policy is defined: its definition, how messages name it
 * and its rows, the stamps and value rules the app gave it, and the whole policy (for strategies
 * that write other tables: a conflict resolution, a tracked field change).
 */
export interface TableContext {
  readonly name: string;
  readonly definition: TableDefinition;
  readonly label: TableLabel;
  /** How a message names one row ("Blue mug"); the app's `describe`, else "<label> <id>". */
  describe(row: Row): string;
  /** Who last wrote the row (its write stamp of the user), for messages; null when it has none. */
  writtenBy(row: Row | null): string | null;
  /** The server-owned stamp columns the table has, and what each holds (the user, or the time). */
  stampColumns(kind: 'insert' | 'update'): Readonly<Record<string, 'user' | 'now'>>;
  /** Who and when, for those columns. */
  stamps(kind: 'insert' | 'update', ctx: Context): Record<string, unknown>;
  /**
   * A complete new row: every column's default (or null), the client's validated values for
   * client-owned columns, the insert stamps, then `server`: values the strategy decided itself.
   * Nothing the client sent for a server-owned column survives.
   */
  newRow(id: string, values: Record<string, unknown>, ctx: Context, server?: Record<string, unknown>): Row;
  /** The app's rules on values, whichever path writes them (an edit, a tracked change, a resolution). */
  checkValues(values: Record<string, unknown>): Rejected | null;
  /** The policy the table belongs to (available once `definePolicy` has returned). */
  readonly policy: Policy;
}

/**
 * A strategy bound to one table: a pure function from (operation, rows, context) to a decision,
 * plus what it needs from the client and what it tells the policy.
 */
export interface Strategy {
  readonly name: string;
  /** What it compares to detect concurrent edits, in words (the policy's summary). */
  readonly detects: string;
  /** What happens on a conflict, in words. */
  readonly onConflict: string;
  decide(op: Operation, rows: RowSource, ctx: Context): Decision;
  /** Rows it reads besides the operation's own, to load (and lock) before deciding. */
  related?(op: Operation, rows: RowSource): RowKey[];
  /** The change tracking the client must do for this table. */
  readonly tracking?: ClientTracking;
  /** The table's version, when the strategy keeps one (timestamps, sequence numbers). */
  readonly versionToken?: VersionToken;
  /**
   * Edits must state, in `_metadata.base`, what each field they change held when the user saw it
   * (a three-way merge merges against it), not only the version.
   */
  readonly snapshotsBase?: boolean;
}

/** What `timestamp({ column })`, `version({ column })`, … return: bound to its table by `definePolicy`. */
export type StrategyFactory = (table: TableContext) => Strategy;
