/**
 * Column definitions: one object per column says everything the three consumers need.
 * - the PowerSync client schema (which SQLite column type the client stores),
 * - the upload validators (what a client may send, and how it is normalised),
 * - the SQL check (which Postgres type and nullability the migration must declare).
 */

export type ColumnKind = 'text' | 'integer' | 'real' | 'timestamp' | 'date' | 'uuid' | 'json' | 'enum';

/** The SQLite column type the PowerSync client uses for a kind. */
export type ClientType = 'text' | 'integer' | 'real';

/**
 * Who writes a column:
 * - `client`: the client's value is validated and used;
 * - `server`: the API sets it (who, when, versions); a client's value for it is ignored.
 */
export type ColumnOrigin = 'client' | 'server';

export interface ColumnSpec<K extends ColumnKind = ColumnKind, N extends boolean = boolean> {
  readonly kind: K;
  readonly nullable: N;
  readonly origin: ColumnOrigin;
  /** Postgres type as information_schema.columns.data_type reports it. */
  readonly sqlType: string;
  /** Inclusive bounds: characters for text, value for numbers. */
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: RegExp;
  /** Text that must hold more than whitespace (a title, a name): "   " is refused like "". */
  readonly notBlank?: boolean;
  /** Allowed values of an enum column. */
  readonly values?: readonly string[];
  /** Value used when an insert omits the column (mirrors the SQL DEFAULT). */
  readonly default?: unknown;
  /** Human description, shown in error messages ("a title of 1 to 200 characters"). */
  readonly describe?: string;
  /**
   * Changes arrive as deltas (strategy 7): the value an update uploads is the client's local
   * result, made from a base that may be stale, so its bounds are checked on the server's result
   * by the strategy, not on the uploaded number. A new row's value is checked as usual.
   */
  readonly cumulative?: boolean;
}

type Bounds = { min?: number; max?: number; default?: unknown; origin?: ColumnOrigin; describe?: string };

export const USER_ID_PATTERN = /^[a-z][a-z0-9_-]{0,63}$/;

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

/** `T` is the TypeScript type of the column's (non-null) value; `N` whether it may be null. */
export class Builder<T, N extends boolean> {
  declare readonly _value: T;
  constructor(readonly spec: ColumnSpec<ColumnKind, N>) {}
  /** Allows SQL NULL. */
  nullable(): Builder<T, true> {
    return new Builder<T, true>({ ...this.spec, nullable: true });
  }
  /** The API owns the value; clients cannot set it. */
  serverOwned(): Builder<T, N> {
    return new Builder<T, N>({ ...this.spec, origin: 'server' });
  }
  /** Updates arrive as deltas; the bounds hold for the server's result (see ColumnSpec.cumulative). */
  cumulative(): Builder<T, N> {
    return new Builder<T, N>({ ...this.spec, cumulative: true });
  }
}

function make<T>(kind: ColumnKind, sqlType: string, options: Bounds & Partial<ColumnSpec>): Builder<T, false> {
  return new Builder<T, false>({ origin: 'client', ...options, kind, sqlType, nullable: false });
}

export const col = {
  text: (options: Bounds & { pattern?: RegExp; notBlank?: boolean } = {}) => make<string>('text', 'text', options),
  integer: (options: Bounds = {}) => make<number>('integer', 'integer', { min: INT32_MIN, max: INT32_MAX, ...options }),
  bigint: (options: Bounds = {}) =>
    make<number>('integer', 'bigint', { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER, ...options }),
  real: (options: Bounds = {}) => make<number>('real', 'double precision', options),
  /** ISO 8601 instant; normalised to `YYYY-MM-DDTHH:mm:ss.sssZ`. */
  timestamp: (options: Bounds = {}) => make<string>('timestamp', 'timestamp with time zone', options),
  /** Calendar date `YYYY-MM-DD`. */
  date: (options: Bounds = {}) => make<string>('date', 'date', options),
  uuid: (options: Bounds = {}) => make<string>('uuid', 'uuid', options),
  /** A reference to users.id (text ids). */
  userRef: (options: Bounds = {}) =>
    make<string>('text', 'text', { max: 64, pattern: USER_ID_PATTERN, describe: 'a user id', ...options }),
  /** A JSON value (object or array); the client stores it as JSON text. */
  json: (options: Bounds = {}) => make<unknown>('json', 'jsonb', options),
  enum: <const V extends readonly string[]>(values: V, options: Bounds = {}) =>
    make<V[number]>('enum', 'text', { ...options, values }),
};

// biome-ignore lint/suspicious/noExplicitAny: a builder of any value type
export type AnyBuilder = Builder<any, boolean>;

export function clientTypeOf(kind: ColumnKind): ClientType {
  switch (kind) {
    case 'integer':
      return 'integer';
    case 'real':
      return 'real';
    default:
      return 'text';
  }
}

/** TypeScript type of a column's value as rows carry it (timestamps and dates as ISO strings). */
export type ValueOf<B> = B extends Builder<infer T, infer N> ? T | (N extends true ? null : never) : never;
