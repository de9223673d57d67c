import { UploadErrorCode } from '@cr/connector-kit/contract';
import type pg from 'pg';
import { UploadError } from '../upload-error.ts';

/**
 * A client id belongs to the user who first uploaded with it (table `api_clients`). The binding
 * never changes, so a process remembers the ones it has seen and asks Postgres once per client.
 */
export class ClientBindings {
  readonly #known = new Map<string, string>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly capacity = 10_000,
  ) {}

  /** Binds `clientId` to `userId` on first use; throws 403 when it belongs to someone else. */
  async check(clientId: string, userId: string): Promise<void> {
    const owner = this.#known.get(clientId) ?? (await this.#bind(clientId, userId));
    if (owner === userId) return;
    throw new UploadError(
      403,
      UploadErrorCode.ClientIdInUse,
      'This client id is already used by another user. A local database uploads for one user only: ' +
        'export or discard these changes, or sign in with a fresh local database.',
    );
  }

  async #bind(clientId: string, userId: string): Promise<string> {
    // The insert waits for a concurrent insert of the same id and then does nothing; the owner
    // it committed is visible to the next statement, so a second try always finds it.
    for (let attempt = 0; attempt < 3; attempt++) {
      const { rows } = await this.pool.query<{ user_id: string }>(
        `WITH bound AS (
           INSERT INTO api_clients (client_id, user_id) VALUES ($1, $2)
           ON CONFLICT (client_id) DO NOTHING RETURNING user_id)
         SELECT user_id FROM bound UNION ALL SELECT user_id FROM api_clients WHERE client_id = $1 LIMIT 1`,
        [clientId, userId],
      );
      const owner = rows[0]?.user_id;
      if (owner !== undefined) {
        if (this.#known.size >= this.capacity) this.#known.delete(this.#known.keys().next().value as string);
        this.#known.set(clientId, owner);
        return owner;
      }
    }
    throw new Error(`client id binding for ${JSON.stringify(clientId)} not found after inserting it`);
  }
}
