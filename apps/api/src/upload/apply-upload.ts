import { type Actor, type Context, type RawCrudEntry, WorkingSet } from '@cr/strategies';
import type pg from 'pg';
import { ApiError, ApiErrorCode } from '../errors.ts';
import { withClient } from '../plugins/external/checkout.ts';
import { rejectDuplicates, splitDuplicates } from './duplicates.ts';
import { addLedger, ledgerOutcomes, ledgerRead, storableEntry } from './ledger.ts';
import type { OperationOutcome } from './outcome.ts';
import { classifyPgError, describeDataError } from './pg-errors.ts';
import { databaseRejection, decideGroup, type GroupResult, type Processed, planGroup } from './process-group.ts';
import { addChanges, loadRows } from './row-store.ts';
import { WriteStatement } from './write-statement.ts';

export interface UploadRequest {
  actor: Actor;
  clientId: string;
  entries: readonly RawCrudEntry[];
  /** The server clock for this request, canonical ISO. */
  now: string;
}

export interface UploadResult {
  outcomes: OperationOutcome[];
  /** Operations that had been applied before and were answered from the ledger. */
  replayed: number;
  /** Some operation left a field change pending: wake the worker. */
  queuedFieldChanges: boolean;
}

const MAX_ATTEMPTS = 5;

/**
 * Applies one uploaded client transaction in one database transaction, in four round trips:
 * BEGIN; read the ledger and load (FOR UPDATE) every row the batch touches; write every final
 * row together with the batch's ledger rows in one statement; COMMIT.
 *
 * - At most once: operations already in the ledger (client id + operation id) are answered with
 *   their recorded outcome. Two deliveries of the same batch racing each other both decide, but the
 *   ledger's primary key lets only one commit; the other is run again and finds the ledger rows.
 * - If Postgres refuses the write because of one operation's data (a unique or foreign key
 *   violation the strategies could not foresee), the transaction is run again one operation at a
 *   time inside savepoints: the offending operation is recorded as rejected, the rest apply.
 * - Deadlocks, serialization failures and ledger races rerun the transaction; an unreachable
 *   database is a 503 for the client to retry (it keeps its operations until a 2xx).
 */
export async function applyUpload(pool: pg.Pool, request: UploadRequest): Promise<UploadResult> {
  let isolate = false;
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptUpload(pool, request, isolate);
    } catch (error) {
      if (error instanceof ApiError) throw error;
      const kind = classifyPgError(error);
      if (kind === 'data' && !isolate) {
        isolate = true;
        attempt -= 1;
        continue;
      }
      if (kind === 'retry' && attempt < MAX_ATTEMPTS) continue;
      if (kind === 'unavailable') {
        throw new ApiError(
          503,
          ApiErrorCode.DatabaseUnavailable,
          'The database is unavailable; the upload will be retried.',
        );
      }
      throw error;
    }
  }
}

async function attemptUpload(pool: pg.Pool, request: UploadRequest, isolate: boolean): Promise<UploadResult> {
  return withClient(pool, async (client) => {
    await client.query('BEGIN');
    try {
      const result = await applyInTransaction(client, request, isolate);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  });
}

async function applyInTransaction(
  client: pg.ClientBase,
  request: UploadRequest,
  isolate: boolean,
): Promise<UploadResult> {
  const { unique, repeated } = splitDuplicates(request.entries);
  const { planned, keys } = planGroup([...unique.values()]);
  const set = new WorkingSet();
  const ledgerRows = await loadRows(
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
      fresh.map((p) => p.entry),
      ctx,
    );
  } else {
    const group = await decideGroup(client, fresh, set, ctx);
    addChanges(statement, group.changes, deletedBy(ctx));
    processed = group.processed;
  }
  const duplicates = await rejectDuplicates(client, repeated, ctx, statement);
  const queuedFieldChanges = processed.some((p) => p.queuesFieldChange);
  const entries = processed.map((p) => storableEntry(p.ledger));
  addLedger(statement, request.clientId, request.actor.id, entries);
  if (queuedFieldChanges) statement.notify('field_changes');
  await statement.run(client);

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
async function processOneByOne(client: pg.ClientBase, entries: RawCrudEntry[], ctx: Context): Promise<Processed[]> {
  const processed: Processed[] = [];
  for (const entry of entries) {
    await client.query('SAVEPOINT op');
    try {
      const { planned, keys } = planGroup([entry]);
      const set = new WorkingSet();
      await loadRows(client, set, keys);
      const group = await decideGroup(client, planned, set, ctx);
      await write(client, group, ctx);
      await client.query('RELEASE SAVEPOINT op');
      processed.push(...group.processed);
    } catch (error) {
      if (classifyPgError(error) !== 'data') throw error;
      await client.query('ROLLBACK TO SAVEPOINT op');
      const rejection = databaseRejection(entry, describeDataError(error), ctx);
      await write(client, rejection, ctx);
      processed.push(...rejection.processed);
    }
  }
  return processed;
}

async function write(client: pg.ClientBase, group: GroupResult, ctx: Context): Promise<void> {
  const statement = new WriteStatement();
  addChanges(statement, group.changes, deletedBy(ctx));
  await statement.run(client);
}

/** Who and when, for the tombstones of rows this upload deletes. */
const deletedBy = (ctx: Context) => ({ by: ctx.user.id, at: ctx.now });
