import type pg from 'pg';

/** What the storage statements need of a connection: a pool client or a {@link StorageTransaction}. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    textOrConfig: string | pg.QueryConfig | pg.QueryArrayConfig,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>;
}

/** A statement was refused because its storage transaction is being rolled back or committed. */
export class StorageTransactionClosed extends Error {
  readonly code = 'STORAGE_TRANSACTION_CLOSED';
  constructor() {
    super('The storage transaction is closed: the statement was not run.');
    this.name = 'StorageTransactionClosed';
  }
}

/**
 * One storage transaction on a connection of its own. Every statement goes through it, so none
 * can ever run outside the transaction: once {@link close}, {@link commit} or {@link rollback}
 * has been called, further statements are refused; those already sent finish inside the
 * transaction, then it ends, and only then is the connection released.
 */
export class StorageTransaction implements Queryable {
  private closed = false;
  private failed: unknown = null;
  private readonly inFlight = new Set<Promise<unknown>>();

  /** A lost connection (Postgres restarted) is an 'error' event too; the statement in flight fails with it. */
  private readonly onConnectionError = (error: Error) => {
    this.failed ??= error;
  };

  private constructor(private readonly client: pg.PoolClient) {
    client.on('error', this.onConnectionError);
  }

  static async begin(pool: pg.Pool): Promise<StorageTransaction> {
    const client = await pool.connect();
    const tx = new StorageTransaction(client);
    try {
      await client.query('BEGIN');
    } catch (error) {
      tx.release(error);
      throw error;
    }
    return tx;
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    textOrConfig: string | pg.QueryConfig | pg.QueryArrayConfig,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>> {
    if (this.closed) return Promise.reject(new StorageTransactionClosed());
    const running = this.client.query<R>(textOrConfig as pg.QueryConfig, values);
    this.inFlight.add(running);
    const forget = () => this.inFlight.delete(running);
    running.then(forget, (error: unknown) => {
      this.failed ??= error;
      forget();
    });
    return running;
  }

  /** Refuses every further statement (an abandoned write fails at its next one). */
  close(): void {
    this.closed = true;
  }

  /** Commits, unless a statement failed (then it rolls back and throws that failure). */
  async commit(): Promise<void> {
    await this.end();
    if (this.failed !== null) {
      await this.finish('ROLLBACK');
      throw this.failed;
    }
    const result = await this.finish('COMMIT');
    // Postgres answers COMMIT of an aborted transaction with ROLLBACK, not an error.
    if (result.command !== 'COMMIT') throw new Error(`storage commit was answered with ${result.command}`);
  }

  async rollback(): Promise<void> {
    await this.end();
    await this.finish('ROLLBACK').catch(() => {});
  }

  private async end(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
  }

  private async finish(statement: 'COMMIT' | 'ROLLBACK'): Promise<pg.QueryResult> {
    try {
      const result = await this.client.query(statement);
      this.release(null);
      return result;
    } catch (error) {
      // A connection in an unknown state is closed rather than reused; Postgres then aborts the transaction.
      this.release(error);
      throw error;
    }
  }

  private release(error: unknown): void {
    this.client.off('error', this.onConnectionError);
    this.client.release(error === null ? undefined : asError(error));
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
