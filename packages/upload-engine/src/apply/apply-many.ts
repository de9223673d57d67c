import { UploadErrorCode } from '@cr/connector-kit/contract';
import type { Actor, RawCrudEntry } from '@cr/strategies';
import type pg from 'pg';
import { classifyPgError } from '../db/pg-errors.ts';
import { inTransaction } from '../db/transaction.ts';
import { applyTransaction, type TransactionResult } from './apply-transaction.ts';
import type { Engine } from './engine.ts';

/** Several client transactions of one client, in queue order. */
export interface ManyRequest {
  actor: Actor;
  clientId: string;
  transactions: readonly (readonly RawCrudEntry[])[];
  /** The server clock for this request, canonical ISO. */
  now: string;
}

export interface ManyResult {
  /** The results of the transactions done, in order from the first. */
  done: TransactionResult[];
  /** Why the rest was not applied (absent when every transaction is done). */
  stopped?: Stopped;
}

/** Why a request stopped: the contract's code and sentence, and the error behind them (for the log). */
export interface Stopped {
  code: typeof UploadErrorCode.DatabaseUnavailable | typeof UploadErrorCode.Internal;
  message: string;
  error: unknown;
}

/** Most operations decided together in one database transaction (the fast path). */
export const GROUP_OPERATIONS = 1000;
const MAX_ATTEMPTS = 5;

class Stop extends Error {
  constructor(
    readonly done: TransactionResult[],
    readonly reason: unknown,
  ) {
    super('stopped');
  }
}

/**
 * Applies client transactions in order, each atomically, as if each had been uploaded alone.
 *
 * Fast path: consecutive transactions (up to {@link GROUP_OPERATIONS} operations) are decided
 * together in one database transaction: one ledger read and row load, the strategies in memory
 * in queue order (a later transaction sees the earlier ones' effects), one write, one commit. A
 * commit covers whole client transactions only, so each is atomic.
 *
 * Careful path, for a group the fast path could not apply (Postgres refused one operation's
 * data, or a collision kept recurring) or that repeats an operation id across transactions: one
 * database transaction with a savepoint per client transaction, each applied as the single form
 * applies it (a refused operation isolated and recorded as rejected; it does not touch the other
 * transactions). A transaction that still fails for a reason that is not its data (a collision,
 * the database gone, a bug) stops the request there: what came before it is committed and
 * answered, it and the rest are not applied and are left for the client to send again.
 */
export async function applyMany(pool: pg.Pool, engine: Engine, request: ManyRequest): Promise<ManyResult> {
  const done: TransactionResult[] = [];
  for (const group of groups(request.transactions)) {
    try {
      done.push(...(await applyGroup(pool, engine, request, group)));
    } catch (error) {
      if (error instanceof Stop) {
        done.push(...error.done);
        return { done, stopped: stopReason(error.reason) };
      }
      return { done, stopped: stopReason(error) };
    }
  }
  return { done };
}

function* groups(transactions: ManyRequest['transactions']): Generator<(readonly RawCrudEntry[])[]> {
  let group: (readonly RawCrudEntry[])[] = [];
  let size = 0;
  for (const entries of transactions) {
    if (group.length > 0 && size + entries.length > GROUP_OPERATIONS) {
      yield group;
      group = [];
      size = 0;
    }
    group.push(entries);
    size += entries.length;
  }
  if (group.length > 0) yield group;
}

async function applyGroup(
  pool: pg.Pool,
  engine: Engine,
  request: ManyRequest,
  group: (readonly RawCrudEntry[])[],
): Promise<TransactionResult[]> {
  const base = { actor: request.actor, clientId: request.clientId, now: request.now };
  if (!repeatsAcross(group)) {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try {
        const entries = group.flat();
        const result = await inTransaction(pool, (client, commit) =>
          applyTransaction(client, engine, { ...base, entries }, false, commit),
        );
        return split(result, group);
      } catch (error) {
        const kind = classifyPgError(error);
        if (kind === 'data') break;
        if (kind !== 'retry') throw error;
      }
    }
  }
  return careful(pool, engine, base, group);
}

/** One savepoint per client transaction; commits those done before one that cannot be done. */
async function careful(
  pool: pg.Pool,
  engine: Engine,
  base: Omit<ManyRequest, 'transactions'>,
  group: (readonly RawCrudEntry[])[],
): Promise<TransactionResult[]> {
  for (let attempt = 1; ; attempt++) {
    const done: TransactionResult[] = [];
    let cause: unknown = null;
    try {
      await inTransaction(pool, async (client) => {
        for (const entries of group) {
          const result = await inSavepoint(client, async () => {
            try {
              return await inSavepoint(client, () => applyTransaction(client, engine, { ...base, entries }, false));
            } catch (error) {
              if (classifyPgError(error) !== 'data') throw error;
              return applyTransaction(client, engine, { ...base, entries }, true);
            }
          }).catch((error: unknown) => {
            if (classifyPgError(error) === 'unavailable') throw error;
            cause = error;
            return null;
          });
          if (result === null) break;
          done.push(result);
        }
      });
    } catch (error) {
      // The commit (or the connection) failed: nothing of this group is known to be done.
      if (classifyPgError(error) === 'retry' && attempt < MAX_ATTEMPTS) continue;
      throw new Stop([], error);
    }
    if (cause === null) return done;
    // A collision at one transaction: run again, unless it keeps coming back (then stop there).
    if (classifyPgError(cause) === 'retry' && attempt < MAX_ATTEMPTS && done.length === 0) continue;
    throw new Stop(done, cause);
  }
}

/** Whether an operation id appears in two of the group's transactions (a repeat inside one is its own business). */
function repeatsAcross(group: (readonly RawCrudEntry[])[]): boolean {
  const seen = new Set<number>();
  for (const entries of group) {
    const mine = new Set(entries.map((entry) => entry.op_id));
    for (const id of mine) if (seen.has(id)) return true;
    for (const id of mine) seen.add(id);
  }
  return false;
}

/** The result of a group decided as one, per client transaction. */
function split(result: TransactionResult, group: (readonly RawCrudEntry[])[]): TransactionResult[] {
  let at = 0;
  let replayedLeft = result.replayed;
  return group.map((entries) => {
    const outcomes = result.outcomes.slice(at, at + entries.length);
    at += entries.length;
    // The group's replay count, spread over its transactions (only the total is reported).
    const replayed = Math.min(replayedLeft, entries.length);
    replayedLeft -= replayed;
    return { outcomes, replayed, queuedFieldChanges: result.queuedFieldChanges };
  });
}

function stopReason(error: unknown): Stopped {
  const kind = classifyPgError(error);
  if (kind === 'unavailable' || kind === 'retry') {
    const message =
      kind === 'unavailable'
        ? 'The database became unavailable; the remaining transactions will be sent again.'
        : 'The database kept reporting a collision; the remaining transactions will be sent again.';
    return { code: UploadErrorCode.DatabaseUnavailable, message, error };
  }
  return {
    code: UploadErrorCode.Internal,
    message: 'Something went wrong on the server; the remaining transactions can be sent again.',
    error,
  };
}

async function inSavepoint<T>(client: pg.ClientBase, work: () => Promise<T>): Promise<T> {
  await client.query('SAVEPOINT cr_tx');
  try {
    const result = await work();
    await client.query('RELEASE SAVEPOINT cr_tx');
    return result;
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT cr_tx; RELEASE SAVEPOINT cr_tx');
    throw error;
  }
}
