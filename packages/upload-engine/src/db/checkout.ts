import type pg from 'pg';

/**
 * Borrows a client from the pool for `work`. A connection that breaks while borrowed (Postgres
 * restarted, network cut) emits 'error' on the client; without a listener Node would crash the
 * process, so one is attached for the loan, and a broken client is destroyed instead of returned.
 */
export async function withClient<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  const onError = () => {
    broken = true;
  };
  client.on('error', onError);
  try {
    return await work(client);
  } catch (error) {
    if (isConnectionError(error)) broken = true;
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : '';
  return (
    (typeof code === 'string' && (code.startsWith('08') || code.startsWith('57P') || code.startsWith('E'))) ||
    /Connection terminated|connection timeout/i.test(message)
  );
}
