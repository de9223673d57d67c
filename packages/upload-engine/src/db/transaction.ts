import type pg from 'pg';
import { withClient } from './checkout.ts';

/** Commits the transaction `inTransaction` opened; call it right after sending the last write. */
export type Commit = () => Promise<void>;

/**
 * Runs `work` in a database transaction on a client of `pool`. BEGIN is not awaited before the
 * first statement of `work` is sent, and `work` may send COMMIT right after its last write
 * without waiting for it (`commit`): on a pool whose clients pipeline (`pipeline: true`, as the
 * API's pool does) each pair travels in one round trip, so a one-operation upload costs two round
 * trips (BEGIN + read, write + COMMIT), like the naive SELECT + UPDATE. Without pipelining the
 * driver sends them one after another, as before. A write that fails makes the COMMIT queued
 * behind it a rollback (Postgres ends an aborted transaction that way), and the write's error is
 * what `work` throws. If `work` does not commit, the transaction is committed after it returns.
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient, commit: Commit) => Promise<T>,
): Promise<T> {
  return withClient(pool, async (client) => {
    const begun = client.query('BEGIN').then(
      () => null,
      (error: unknown) => error,
    );
    let committed = false;
    const commit: Commit = async () => {
      committed = true;
      const sent = client.query('COMMIT');
      const beginError = await begun;
      if (beginError) throw beginError;
      await sent;
    };
    try {
      const result = await work(client, commit);
      if (!committed) await commit();
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw (await begun) ?? error;
    }
  });
}
