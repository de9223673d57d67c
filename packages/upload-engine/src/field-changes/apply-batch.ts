import { renderValue, validateRowId } from '@cr/schema';
import {
  type Actor,
  type Context,
  type FieldChangeResult,
  OUTCOME_TABLES,
  RejectionCode,
  type Row,
  WorkingSet,
} from '@cr/strategies';
import type pg from 'pg';
import type { Engine } from '../apply/engine.ts';
import { classifyPgError, describeDataError } from '../db/pg-errors.ts';
import { WriteStatement } from '../db/write-statement.ts';

const CHANGES = OUTCOME_TABLES.fieldChanges;

export type ProcessChange = (change: Row, target: Row | null, ctx: Context) => FieldChangeResult;

export interface BatchOutcome {
  applied: number;
  failed: number;
}

/**
 * Applies claimed changes in order, each one isolated from the others:
 * - a change whose judging throws (a bug, an input no rule foresaw) is failed with the reason,
 *   and the others are judged as usual;
 * - if Postgres refuses the batch's write, the changes are written again one by one in
 *   savepoints: a change refused for its own row (a constraint, an app's trigger) is failed with
 *   the database's reason, the rest apply;
 * - a fault that is not about one change (the database unreachable, a missing permission) is
 *   thrown: the transaction rolls back and the changes stay pending for the next run.
 */
export async function applyBatch(
  client: pg.ClientBase,
  engine: Engine,
  changes: readonly Row[],
  set: WorkingSet,
  authors: ReadonlyMap<string, Actor>,
  now: string,
  process: ProcessChange,
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { applied: 0, failed: 0 };
  for (const change of changes) count(outcome, judge(change, set, authors, now, process));
  await client.query('SAVEPOINT batch');
  try {
    await write(client, engine, set);
    await client.query('RELEASE SAVEPOINT batch');
    return outcome;
  } catch (error) {
    if (!isAboutOneRow(error)) throw error;
    await client.query('ROLLBACK TO SAVEPOINT batch');
  }
  const isolated: BatchOutcome = { applied: 0, failed: 0 };
  for (const change of changes) {
    await client.query('SAVEPOINT one');
    try {
      const one = new WorkingSet();
      const target = targetKey(engine, change);
      await engine.store.load(client, one, [{ table: CHANGES, id: change.id }, ...(target ? [target] : [])]);
      const current = one.get(CHANGES, change.id);
      if (current === null || current.status !== 'pending') {
        await client.query('RELEASE SAVEPOINT one');
        continue;
      }
      const status = judge(current, one, authors, now, process);
      await write(client, engine, one);
      await client.query('RELEASE SAVEPOINT one');
      count(isolated, status);
    } catch (error) {
      if (!isAboutOneRow(error)) throw error;
      await client.query('ROLLBACK TO SAVEPOINT one');
      await markFailed(client, engine, change, RejectionCode.ConstraintViolation, describeDataError(error), now);
      isolated.failed += 1;
    }
  }
  return isolated;
}

function count(outcome: BatchOutcome, status: FieldChangeResult['status']): void {
  if (status === 'applied') outcome.applied += 1;
  else outcome.failed += 1;
}

/** The row a change targets, when it can have one (a tracked table, a well-formed id). */
function targetKey({ policy }: Engine, change: Row): { table: string; id: string } | null {
  const table = change.table_name;
  if (!policy.schema.has(table) || policy.table(table).tracked.length === 0) return null;
  return validateRowId(policy.table(table).definition, change.row_id).ok ? { table, id: String(change.row_id) } : null;
}

/** Judges one change against its target in `set` and applies the result there. Never throws. */
function judge(
  change: Row,
  set: WorkingSet,
  authors: ReadonlyMap<string, Actor>,
  now: string,
  process: ProcessChange,
): FieldChangeResult['status'] {
  const table = String(change.table_name);
  const target = set.has(table, String(change.row_id)) ? set.get(table, String(change.row_id)) : null;
  const author = authors.get(String(change.user_id));
  let result: FieldChangeResult;
  if (author === undefined) {
    result = failure(change, RejectionCode.NotOwner, 'The author of this change no longer exists.', now);
  } else {
    try {
      const ctx: Context = { user: author, now, clientId: 'field-change-worker' };
      result = process(change, target, ctx);
    } catch (error) {
      const reason = error instanceof Error ? error.message : renderValue(error, 200);
      result = failure(change, RejectionCode.ProcessingFailed, `This change could not be processed: ${reason}`, now);
    }
  }
  set.apply(result.writes);
  return result.status;
}

function failure(change: Row, code: string, message: string, now: string): FieldChangeResult {
  const attempts = (typeof change.attempts === 'number' ? change.attempts : 0) + 1;
  const set = {
    status: 'failed',
    error_code: code,
    error_message: message,
    processed_at: now,
    updated_at: now,
    attempts,
  };
  return {
    status: 'failed',
    code,
    message,
    writes: [{ table: CHANGES, id: change.id, effect: { kind: 'update', set } }],
  };
}

async function write(client: pg.ClientBase, engine: Engine, set: WorkingSet): Promise<void> {
  const statement = new WriteStatement();
  engine.store.addChanges(statement, set.changes());
  await statement.run(client);
}

async function markFailed(
  client: pg.ClientBase,
  engine: Engine,
  change: Row,
  code: string,
  message: string,
  now: string,
) {
  const set = new WorkingSet();
  await engine.store.load(client, set, [{ table: CHANGES, id: change.id }]);
  const current = set.get(CHANGES, change.id);
  if (current === null) return;
  set.apply(failure(current, code, message, now).writes);
  await write(client, engine, set);
}

/**
 * Whether a database error is about the row being written (so failing that one change is right)
 * rather than about the database or this deployment (so every change would fail the same way and
 * must stay pending instead): connection loss, serialization, missing tables or permissions.
 */
export function isAboutOneRow(error: unknown): boolean {
  const kind = classifyPgError(error);
  if (kind === 'data') return true;
  if (kind !== 'other') return false;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || code.length !== 5) return false; // not from Postgres: a bug here
  const SYSTEMIC = ['42', '3D', '3F', '0A', 'XX', '58', '25', '26', '2D', '34', 'F0', 'HV', '55'];
  return !SYSTEMIC.includes(code.slice(0, 2));
}
