import type pg from 'pg';

/** The channel an upload that queued field changes notifies on commit, and workers listen on. */
export const FIELD_CHANGES_CHANNEL = 'field_changes';

export interface NotifyListenerOptions {
  /** Called for every notification on the channel. */
  onNotify: () => void;
  /** Called when the connection cannot be opened or is lost; listening is retried after `retryMs`. */
  onError: (error: unknown) => void;
  retryMs: number;
}

/**
 * A `LISTEN` session on a connection borrowed from the pool, for as long as the owner runs. The
 * connection can end from both sides at once (Postgres shutting down while we close: on a
 * terminal Ctrl-C both get the signal), so it is released exactly once, by whichever side comes
 * first; errors after that belong to the pool. A lost connection is replaced after `retryMs`.
 */
export class NotifyListener {
  #lease: { client: pg.PoolClient; end: () => boolean } | null = null;
  #connecting: Promise<void> | null = null;
  #retry: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly channel: string,
    private readonly options: NotifyListenerOptions,
  ) {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`Invalid LISTEN channel "${channel}"`);
  }

  /** Listens from now on; resolves once the first attempt succeeded or failed (and was reported). */
  start(): Promise<void> {
    this.#connecting ??= this.#connect().finally(() => {
      this.#connecting = null;
    });
    return this.#connecting;
  }

  /** True while a connection is listening. */
  get listening(): boolean {
    return this.#lease !== null;
  }

  /** Stops listening; no connection of ours is checked out of the pool once this resolves. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = null;
    this.#lease?.end();
    await this.#connecting;
  }

  async #connect(): Promise<void> {
    if (this.#closed || this.#lease) return;
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      this.#failed(error);
      return;
    }
    if (this.#closed) {
      client.release(true);
      return;
    }
    const onNotification = () => this.options.onNotify();
    let released = false;
    // Destroyed, never returned to the pool: the session is subscribed to the channel.
    const end = (): boolean => {
      if (released) return false;
      released = true;
      client.off('notification', onNotification);
      client.off('error', onError);
      if (this.#lease?.client === client) this.#lease = null;
      client.release(true);
      return true;
    };
    const onError = (error: Error) => {
      if (end()) this.#failed(error);
    };
    client.on('error', onError);
    client.on('notification', onNotification);
    this.#lease = { client, end };
    try {
      await client.query(`LISTEN ${this.channel}`);
    } catch (error) {
      if (end()) this.#failed(error);
    }
  }

  #failed(error: unknown): void {
    if (this.#closed) return;
    this.options.onError(error);
    this.#retry ??= setTimeout(() => {
      this.#retry = null;
      void this.start();
    }, this.options.retryMs);
    this.#retry.unref();
  }
}
