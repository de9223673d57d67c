import { judgeUpload } from '@cr/connector-kit';
import type { AbstractPowerSyncDatabase, PowerSyncBackendConnector } from '@powersync/common';
import type { History, Outcome } from './history.ts';

/**
 * The web app's connector (apps/web/src/powersync/connector.ts) for Node: a demo token from the
 * API, the PowerSync endpoint, and uploads of one client transaction at a time to
 * `POST /api/data`, completed only when the answer accounts for every operation (the app's own
 * `judgeUpload`). Every attempt is recorded. A nemesis can make it lose the next answers: the API
 * has applied the transaction, the client does not know, and uploads it again.
 */
export class ApiUploader {
  /** Answers to throw away before the connector sees them. */
  dropNext = 0;
  private token: string | null = null;

  constructor(
    private readonly client: string,
    private readonly user: string,
    private readonly apiOrigin: () => string,
    private readonly history: History,
  ) {}

  connector(syncOrigin: () => string): PowerSyncBackendConnector {
    return {
      fetchCredentials: async () => ({ endpoint: syncOrigin(), token: await this.newToken() }),
      uploadData: (database) => this.upload(database),
    };
  }

  private async newToken(): Promise<string> {
    const response = await fetch(`${this.apiOrigin()}/api/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: this.user }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`token: ${response.status}`);
    const { token } = (await response.json()) as { token: string };
    this.token = token;
    return token;
  }

  private async upload(database: AbstractPowerSyncDatabase): Promise<void> {
    const transaction = await database.getNextCrudTransaction();
    if (!transaction) return;
    const opIds = transaction.crud.map((entry) => entry.clientId);
    const attempt = {
      client: this.client,
      at: Date.now(),
      txId: transaction.transactionId ?? -1,
      opIds,
      status: null as number | null,
      outcomes: null as Outcome[] | null,
      dropped: false,
      completed: false,
    };
    let body: unknown = null;
    try {
      const token = this.token ?? (await this.newToken());
      const response = await fetch(`${this.apiOrigin()}/api/data`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          client_id: await database.getClientId(),
          batch: transaction.crud.map((entry) => entry.toJSON()),
        }),
        signal: AbortSignal.timeout(20_000),
      });
      attempt.status = response.status;
      body = await response.json().catch(() => null);
    } catch {
      // no answer: its fate is unknown, so the transaction stays queued
    }
    const verdict = attempt.status === null ? null : judgeUpload(attempt.status, body, opIds);
    if (verdict?.kind === 'complete') {
      attempt.outcomes = verdict.outcomes as Outcome[];
      if (this.dropNext > 0) {
        this.dropNext -= 1;
        attempt.dropped = true;
      }
    }
    this.history.uploads.push(attempt);
    if (verdict?.kind === 'reauth') this.token = null;
    if (verdict?.kind !== 'complete' || attempt.dropped) {
      throw new Error(`upload of transaction ${attempt.txId} not done (${verdict?.kind ?? 'no answer'})`);
    }
    await transaction.complete();
    attempt.completed = true;
  }
}
