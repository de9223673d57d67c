import type { Role, TableName } from '@cr/schema';
import type { ConflictCode, RejectionCode } from './codes.ts';

export type OpType = 'PUT' | 'PATCH' | 'DELETE';

/** A row as strategies see it: canonical values (timestamps as ISO strings, JSON as objects). */
export type Row = { id: string } & Record<string, unknown>;

/**
 * One uploaded operation, after the envelope was checked: the table is known, the id is valid,
 * `data` holds validated client-owned values (for a PUT, with defaults filled in).
 */
export interface Operation {
  /** The client's operation id (`CrudEntry.clientId`, serialised as `op_id`). */
  opId: number;
  op: OpType;
  table: TableName;
  id: string;
  data: Record<string, unknown>;
  /** Old values of tracked columns (`CrudEntry.previousValues`), as the client sent them. */
  previous: Record<string, unknown> | null;
  /** Parsed `_metadata` of the write (`CrudEntry.metadata`), when the client attached one. */
  metadata: Record<string, unknown> | null;
  /** Server-owned columns the client sent; not used, reported for transparency. */
  ignored: string[];
}

export interface Actor {
  id: string;
  role: Role;
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
  table: TableName;
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

/** What the API records in write_conflicts when it cannot decide automatically. */
export interface ConflictDraft {
  strategy: string;
  clientValues: Record<string, unknown>;
  serverValues: Row | null;
  baseValues: Record<string, unknown> | null;
}

export type Decision =
  | { outcome: 'applied'; writes: Write[] }
  | { outcome: 'merged'; writes: Write[]; dropped: DroppedField[] }
  | { outcome: 'rejected'; code: RejectionCode; message: string; writes: Write[] }
  | { outcome: 'conflict'; code: ConflictCode; message: string; conflict: ConflictDraft };

export type Outcome = Decision['outcome'];

/** Rows the adapter loaded (and locked) for an operation, keyed `table:id`; null = no such row. */
export interface RowSource {
  get(table: TableName, id: string): Row | null;
  /** Whether the id belonged to a row that was deleted (a tombstone): such an id is never reused. */
  deleted?(table: TableName, id: string): boolean;
}
