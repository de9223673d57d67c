import { UploadErrorCode } from '@cr/connector-kit/contract';
import type pg from 'pg';
import { classifyPgError } from '../db/pg-errors.ts';
import { inTransaction } from '../db/transaction.ts';
import { UploadError } from '../upload-error.ts';
import { applyTransaction, type TransactionRequest, type TransactionResult } from './apply-transaction.ts';
import type { Engine } from './engine.ts';

const MAX_ATTEMPTS = 5;

/**
 * Applies one uploaded client transaction in one database transaction, in two round trips when
 * nothing needs more and the pool pipelines (four without; a conflict resolution also loads the
 * row it is about: one more): BEGIN with the ledger read and the load (FOR UPDATE) of every row
 * the batch touches; the write of every final row together with the batch's ledger rows in one
 * statement, with COMMIT (see inTransaction).
 *
 * - At most once: operations already in the ledger (user + client id + operation id) are answered
 *   with their recorded outcome. Two deliveries of the same batch racing each other both decide,
 *   but the ledger's primary key lets only one commit; the other is run again and finds the
 *   ledger rows.
 * - If Postgres refuses the write because of one operation's data (a unique or foreign key
 *   violation the strategies could not foresee), the transaction is run again one operation at a
 *   time inside savepoints: the offending operation is recorded as rejected, the rest apply.
 * - Deadlocks, serialization failures and ledger races rerun the transaction; an unreachable
 *   database is a 503 for the client to retry (it keeps its operations until a 2xx).
 */
export async function applyUpload(
  pool: pg.Pool,
  engine: Engine,
  request: TransactionRequest,
): Promise<TransactionResult> {
  let isolate = false;
  for (let attempt = 1; ; attempt++) {
    try {
      return await inTransaction(pool, (client, commit) => applyTransaction(client, engine, request, isolate, commit));
    } catch (error) {
      if (error instanceof UploadError) throw error;
      const kind = classifyPgError(error);
      if (kind === 'data' && !isolate) {
        isolate = true;
        attempt -= 1;
        continue;
      }
      if (kind === 'retry' && attempt < MAX_ATTEMPTS) continue;
      if (kind === 'unavailable') {
        throw new UploadError(
          503,
          UploadErrorCode.DatabaseUnavailable,
          'The database is unavailable; the upload will be retried.',
        );
      }
      throw error;
    }
  }
}
