import type { AbstractPowerSyncDatabase, PowerSyncBackendConnector, PowerSyncCredentials } from '@powersync/web';
import { fetchToken, uploadUrl } from '../api/api-client.ts';
import { isStuck, notableOutcomes, stuckUpload, type UploadError, uploadLog } from './upload-events.ts';
import { judgeUpload } from './upload-verdict.ts';

/** Thrown from uploadData so PowerSync keeps the transaction and retries it later. */
export class UploadNotDone extends Error {
  override name = 'UploadNotDone';
}

/**
 * The PowerSync connector of one signed-in demo user.
 *
 * - `fetchCredentials`: a token from the API's demo sign-in; the PowerSync endpoint is this page's
 *   own origin (apps/web/serve.ts forwards the sync paths), whatever the token response suggests.
 * - `uploadData`: one client transaction at a time, with the client id, to POST /api/data. The
 *   transaction is completed only when the server has an outcome for every operation; otherwise
 *   it stays queued and PowerSync calls again later (see upload-verdict.ts).
 */
export class ApiConnector implements PowerSyncBackendConnector {
  private token: { value: string; expiresAt: Date } | null = null;

  constructor(private readonly userId: string) {}

  /**
   * PowerSync keeps the credentials and asks again only when it needs new ones (connect, a 401
   * from the sync service, expiry), so this always signs in afresh.
   */
  async fetchCredentials(): Promise<PowerSyncCredentials> {
    const token = await this.newToken();
    return { endpoint: window.location.origin, token: token.value, expiresAt: token.expiresAt };
  }

  async uploadData(database: AbstractPowerSyncDatabase): Promise<void> {
    const transaction = await database.getNextCrudTransaction();
    if (!transaction) return;
    const stuck = stuckUpload.get();
    // Refused for good: it waits for the user (export, discard, or try again), not for a timer.
    if (isStuck(stuck, transaction)) throw new UploadNotDone(stuck.message);
    const batch = transaction.crud.map((entry) => entry.toJSON());
    const opIds = transaction.crud.map((entry) => entry.clientId);
    let response: Response;
    let body: unknown;
    try {
      const token = await this.currentToken();
      response = await fetch(uploadUrl(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token.value}` },
        body: JSON.stringify({ client_id: await database.getClientId(), batch }),
      });
      body = await response.json().catch(() => null);
    } catch (error) {
      throw this.failed('network', `The upload API could not be reached (${(error as Error).message}).`);
    }
    const verdict = judgeUpload(response.status, body, opIds);
    if (verdict.kind !== 'complete') {
      if (verdict.kind === 'reauth') this.token = null;
      if (verdict.kind === 'stuck') {
        stuckUpload.set({
          transactionId: transaction.transactionId ?? null,
          firstOpId: opIds[0] ?? 0,
          operations: opIds.length,
          code: verdict.code,
          message: verdict.message,
          at: new Date().toISOString(),
        });
      }
      throw this.failed(verdict.kind, verdict.message);
    }
    await transaction.complete();
    if (isStuck(stuckUpload.get(), transaction)) stuckUpload.set(null);
    uploadLog.set((log) => ({
      lastError: null,
      lastSuccessAt: new Date().toISOString(),
      completed: log.completed + 1,
    }));
    if (verdict.notable.length > 0) notableOutcomes.set((list) => [...list, ...verdict.notable]);
  }

  /** A token for the API's other endpoints (metrics): the upload token, renewed when due. */
  async apiToken(): Promise<string> {
    return (await this.currentToken()).value;
  }

  /** Forgets the cached token (sign-out, or the server refused it). */
  invalidate(): void {
    this.token = null;
  }

  /** The token for uploads: the last one, unless it was refused or lapses within a minute. */
  private async currentToken(): Promise<{ value: string; expiresAt: Date }> {
    if (this.token && this.token.expiresAt.getTime() - Date.now() > 60_000) return this.token;
    return this.newToken();
  }

  private async newToken(): Promise<{ value: string; expiresAt: Date }> {
    const response = await fetchToken(this.userId);
    this.token = { value: response.token, expiresAt: new Date(response.expires_at) };
    return this.token;
  }

  private failed(kind: UploadError['kind'], message: string): UploadNotDone {
    uploadLog.set((log) => ({ ...log, lastError: { kind, message, at: new Date().toISOString() } }));
    return new UploadNotDone(message);
  }
}
