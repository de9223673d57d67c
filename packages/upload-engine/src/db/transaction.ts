import type pg from 'pg';
import { withClient } from './checkout.ts';

/** Commits the transaction `inTransaction` opened; call it right after sending the last write. */
export type Commit = () => Promise<void>;

/**
 * Runs `work` in a database transaction on a client of `pool`. BEGIN is not awaited before the
 * first statement of `work` is sent, and `work` may send COMMIT right after its last write
 * without waiting for it (`commit`): on a pool whose clients pipeline (`pipeline: true`, as the
 * API's pool does) each pair travels in one round trip, so a one-operation upload costs two round
 * trips (BEGIN + read, write + COMMIT), like the naive SELECT + UPDATE, each pair in one socket
 * write ({@link together}; BEGIN shares its write with what `work` sends before its first await,
 * as the engine's read is). Without pipelining the driver sends them one after another, as
 * before. A write that fails makes the COMMIT queued
 * behind it a rollback (Postgres ends an aborted transaction that way), and the write's error is
 * what `work` throws. If `work` does not commit, the transaction is committed after it returns.
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient, commit: Commit) => Promise<T>,
): Promise<T> {
  return withClient(pool, async (client) => {
    const begun = together(client, () =>
      client.query('BEGIN').then(
        () => null,
        (error: unknown) => error,
      ),
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

/**
 * Statements sent by `send` (synchronously, up to its first await) and by whatever runs before
 * the next tick leave in ONE write to the socket on a pipelining client: BEGIN with the first
 * read, the last write with COMMIT. One system call and one wake-up of the Postgres backend
 * instead of two; the statements and their answers are the same. Other clients: `send` as is.
 */
export function together<T>(client: pg.ClientBase, send: () => T): T {
  const { pipeline, connection } = client as Partial<pg.Client>;
  const stream = pipeline ? connection?.stream : undefined;
  if (!stream || typeof stream.cork !== 'function') return send();
  stream.cork();
  process.nextTick(() => stream.uncork());
  return send();
}
