import type { ClientTracking } from '@cr/schema';
import type { TextHunk } from './text-merge.ts';

export type OpType = 'PUT' | 'PATCH' | 'DELETE';

/** A row as strategies see it: canonical values (timestamps as ISO strings, JSON as objects). */
export type Row = { id: string } & Record<string, unknown>;

/**
 * One uploaded operation, after the envelope was checked against the schema: the table is one of
 * its tables, the id is valid, `data` holds validated client-owned values (for a PUT, with
 * defaults filled in).
 */
export interface Operation {
  /** The client's operation id (`CrudEntry.clientId`, serialised as `op_id`). */
  opId: number;
  op: OpType;
  table: string;
  id: string;
  data: Record<string, unknown>;
  /** Old values of tracked columns (`CrudEntry.previousValues`), as the client sent them. */
  previous: Record<string, unknown> | null;
  /** Parsed `_metadata` of the write (`CrudEntry.metadata`), when the client attached one. */
  metadata: Record<string, unknown> | null;
  /** Server-owned columns the client sent; not used, reported for transparency. */
  ignored: string[];
}

/** The signed-in user, from the verified token (never from row data). */
export interface Actor {
  id: string;
  role: string;
}

/** Everything a strategy may know besides the operation and the rows: never the clock itself. */
export interface Context {
  user: Actor;
  /** The server's clock at the start of the request, canonical ISO. */
  now: string;
  clientId: string;
}

export type Effect =
  | { kind: 'insert'; row: Row }
  | { kind: 'update'; set: Record<string, unknown> }
  | { kind: 'delete' };

/** A change to one row that a decision implies. */
export interface Write {
  table: string;
  id: string;
  effect: Effect;
}

/** A field edit that was not applied because the server holds a newer value (last-write-wins). */
export interface DroppedField {
  field: string;
  attempted: unknown;
  kept: unknown;
  message: string;
}

/** What the engine records in write_conflicts when it cannot decide automatically. */
export interface ConflictDraft {
  strategy: string;
  clientValues: Record<string, unknown>;
  serverValues: Row | null;
  baseValues: Record<string, unknown> | null;
  /**
   * Text merges: per field, where both sides changed the same lines (empty for a field that is
   * not text or whose merge the column's rules refuse). Not stored: `mergeText` of the recorded
   * base, server and client values gives the same hunks again.
   */
  hunks?: Record<string, TextHunk[]>;
}

export type Decision =
  | { outcome: 'applied'; writes: Write[] }
  | {
      outcome: 'merged';
      writes: Write[];
      dropped: DroppedField[];
      /** What was merged, for the author, when nothing was dropped (a three-way merge). */
      code?: string;
      message?: string;
      /**
       * Part of the edit could not be merged (both sides changed the same field differently):
       * the rest is applied by `writes`, and this part is recorded as a conflict against the
       * version `writes` make, so it can be resolved on top of it.
       */
      conflict?: { code: string; message: string; conflict: ConflictDraft };
    }
  | { outcome: 'rejected'; code: string; message: string; writes: Write[] }
  | { outcome: 'conflict'; code: string; message: string; conflict: ConflictDraft };

export type Outcome = Decision['outcome'];

/** A row by table and id. */
export interface RowKey {
  table: string;
  id: string;
}

/** Rows the adapter loaded (and locked) for an operation; null = no such row. */
export interface RowSource {
  get(table: string, id: string): Row | null;
  /** Whether the id belonged to a row that was deleted (a tombstone): such an id is never reused. */
  deleted?(table: string, id: string): boolean;
}

/**
 * A table's optimistic-concurrency version, as its strategy keeps it: how a server-side write (a
 * conflict resolution, a tracked field change) makes the next one, so that clients editing the old
 * version afterwards are detected as stale, and when two values are the same version.
 */
export interface VersionToken {
  column: string;
  next(row: Row, ctx: Context): unknown;
  same(a: unknown, b: unknown): boolean;
}

export type { ClientTracking };
