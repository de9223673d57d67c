import type { OperationOutcome } from '@cr/connector-kit/contract';
import { type Actor, type Context, type RawCrudEntry, WorkingSet } from '@cr/strategies';
import type pg from 'pg';
import { classifyPgError, describeDataError } from '../db/pg-errors.ts';
import { type Commit, together } from '../db/transaction.ts';
import { WriteStatement } from '../db/write-statement.ts';
import { FIELD_CHANGES_CHANNEL } from '../field-changes/notify-listener.ts';
import { databaseRejection, decideGroup, type GroupResult, type Processed, planGroup } from './decide-group.ts';
import { rejectDuplicates, splitDuplicates } from './duplicates.ts';
import type { Engine } from './engine.ts';
import { addLedger, ledgerOutcomes, ledgerRead, storableEntry } from './ledger.ts';

/** One client transaction to apply, for the signed-in actor. */
export interface TransactionRequest {
  actor: Actor;
  clientId: string;
  entries: readonly RawCrudEntry[];
  /** The server clock for this request, canonical ISO. */
  now: string;
}

export interface TransactionResult {
  /** One outcome per entry, in order. */
  outcomes: OperationOutcome[];
  /** Operations that had been applied before and were answered from the ledger. */
  replayed: number;
  /** Some operation left a field change pending: wake the worker. */
  queuedFieldChanges: boolean;
}

/**
 * Applies one client transaction on `client`, inside a database transaction (or a savepoint) the
 * caller opened and commits: read the ledger and load (FOR UPDATE) every row the transaction
 * touches in one statement, decide every operation in memory, write every final row together
 * with the ledger rows in one statement. Nothing here commits, so a caller can apply several
 * client transactions in one database transaction, each in a savepoint.
 *
 * With `isolate` (after Postgres refused a write because of one operation's data), each
 * operation runs alone in a savepoint; a refused one is recorded as CONSTRAINT_VIOLATION.
 */
export async function applyTransaction(
  client: pg.ClientBase,
  engine: Engine,
  request: TransactionRequest,
  isolate: boolean,
  /** Sends COMMIT right behind the final write (see inTransaction); without it, the caller commits. */
  commit?: Commit,
): Promise<TransactionResult> {
  const { unique, repeated } = splitDuplicates(request.entries);
  const { planned, keys } = planGroup(engine, [...unique.values()]);
  const set = new WorkingSet();
  const ledgerRows = await engine.store.load(
    client,
    set,
    isolate ? [] : keys,
    ledgerRead(request.actor.id, request.clientId, [...unique.keys()]),
  );
  const done = ledgerOutcomes(ledgerRows);
  const fresh = planned.filter(({ entry }) => !done.has(entry.op_id));
  const ctx: Context = { user: request.actor, now: request.now, clientId: request.clientId };

  const statement = new WriteStatement();
  let processed: Processed[];
  if (isolate) {
    processed = await processOneByOne(
      client,
      engine,
      fresh.map((p) => p.entry),
      ctx,
    );
  } else {
    const group = await decideGroup(client, engine, fresh, set, ctx);
    engine.store.addChanges(statement, group.changes, deletedBy(ctx));
    processed = group.processed;
  }
  const duplicates = await rejectDuplicates(client, engine, repeated, ctx, statement);
  const queuedFieldChanges = processed.some((p) => p.queuesFieldChange);
  const entries = processed.map((p) => storableEntry(p.ledger));
  addLedger(statement, request.clientId, request.actor.id, entries);
  if (queuedFieldChanges) statement.notify(FIELD_CHANGES_CHANNEL);
  const { written, committed } = together(client, () => ({
    written: statement.run(client),
    committed: commit?.().then(
      () => null,
      (error: unknown) => error,
    ),
  }));
  await written;
  const commitError = await committed;
  if (commitError) throw commitError;

  const outcomes = new Map(done);
  for (const ledger of entries) {
    const { tx_id: _tx, operation: _op, ...outcome } = ledger;
    outcomes.set(ledger.op_id, outcome);
  }
  const answer = (entry: RawCrudEntry, index: number): OperationOutcome => {
    const duplicate = duplicates.get(index);
    if (!duplicate) return outcomes.get(entry.op_id) as OperationOutcome;
    const { tx_id: _tx, operation: _op, ...outcome } = storableEntry(duplicate);
    return outcome;
  };
  return {
    outcomes: request.entries.map(answer),
    replayed: unique.size - fresh.length,
    queuedFieldChanges,
  };
}

/** After the database refused the batch: each operation alone, the refused ones recorded. */
async function processOneByOne(
  client: pg.ClientBase,
  engine: Engine,
  entries: RawCrudEntry[],
  ctx: Context,
): Promise<Processed[]> {
  const processed: Processed[] = [];
  for (const entry of entries) {
    await client.query('SAVEPOINT op');
    try {
      const { planned, keys } = planGroup(engine, [entry]);
      const set = new WorkingSet();
      await engine.store.load(client, set, keys);
      const group = await decideGroup(client, engine, planned, set, ctx);
      await write(client, engine, group, ctx);
      await client.query('RELEASE SAVEPOINT op');
      processed.push(...group.processed);
    } catch (error) {
      if (classifyPgError(error) !== 'data') throw error;
      await client.query('ROLLBACK TO SAVEPOINT op');
      const rejection = databaseRejection(engine, entry, describeDataError(error), ctx);
      await write(client, engine, rejection, ctx);
      processed.push(...rejection.processed);
    }
  }
  return processed;
}

async function write(client: pg.ClientBase, engine: Engine, group: GroupResult, ctx: Context): Promise<void> {
  const statement = new WriteStatement();
  engine.store.addChanges(statement, group.changes, deletedBy(ctx));
  await statement.run(client);
}

/** Who and when, for the tombstones of rows this upload deletes. */
const deletedBy = (ctx: Context) => ({ by: ctx.user.id, at: ctx.now });
