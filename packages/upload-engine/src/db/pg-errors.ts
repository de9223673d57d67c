/** How the upload path treats a Postgres error. */
export type PgErrorKind =
  /** The data of some operation is unacceptable (constraint, invalid value): isolate and reject it. */
  | 'data'
  /** Two transactions collided (deadlock, serialization): run the transaction again. */
  | 'retry'
  /** The database is unreachable or shutting down: the client must retry later (503). */
  | 'unavailable'
  /** Anything else: a bug on our side (500). */
  | 'other';

const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);

const LEDGER_KEY = 'applied_operations_pkey';

export function classifyPgError(error: unknown): PgErrorKind {
  const code = (error as { code?: unknown } | null)?.code;
  const constraint = (error as { constraint?: unknown } | null)?.constraint;
  // Two deliveries of the same operations raced: the ledger let one commit; run the other again.
  if (code === '23505' && constraint === LEDGER_KEY) return 'retry';
  if (typeof code === 'string') {
    if (code.startsWith('22') || code.startsWith('23')) return 'data';
    if (code === '40001' || code === '40P01') return 'retry';
    if (code.startsWith('08') || code.startsWith('53') || code.startsWith('57P') || UNAVAILABLE_NODE_CODES.has(code)) {
      return 'unavailable';
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  if (
    /Connection terminated|connection timeout|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(
      message,
    )
  ) {
    return 'unavailable';
  }
  return 'other';
}

/** A short, safe sentence for a data error: the constraint or column, not the whole row. */
export function describeDataError(error: unknown): string {
  const e = error as { message?: string; constraint?: string; column?: string; detail?: string };
  const where = e.constraint ? ` (${e.constraint})` : e.column ? ` (${e.column})` : '';
  return `The database refused this change${where}: ${e.message ?? 'constraint violation'}.`;
}
