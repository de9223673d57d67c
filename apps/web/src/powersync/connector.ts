import { identify, sendTransaction } from '@cr/connector-kit';
import type { AbstractPowerSyncDatabase, PowerSyncBackendConnector, PowerSyncCredentials } from '@powersync/web';
import { fetchToken, uploadUrl } from '../api/api-client.ts';
import { isStuck, notableOutcomes, stuckUpload, type UploadError, uploadLog } from './upload-events.ts';

/** Thrown from uploadData so PowerSync keeps the transaction and retries it later. */
export class UploadNotDone extends Error {
  override name = 'UploadNotDone';
}

/**
 * The PowerSync connector of one signed-in demo user.
 *
 * - `fetchCredentials`: a token from the API's demo sign-in; the PowerSync endpoint is this page's
 *   own origin (apps/web/serve.ts forwards the sync paths), whatever the token response suggests.
 * - `uploadData`: one client transaction at a time, with the client id, to POST /api/data
 *   (`sendTransaction` of @cr/connector-kit, which judges the answer by the upload contract). The
 *   transaction is completed only when the server has an outcome for every operation; otherwise it
 *   stays queued and PowerSync calls again later. One the server can never accept as sent (400,
 *   403, 413) is shown to the user and not sent again until they act (stuck-upload/): PowerSync's
 *   next calls fail at once, without a request.
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

    let token: string;
    try {
      token = (await this.currentToken()).value;
    } catch (error) {
      throw this.failed('network', `The upload API could not be reached (${(error as Error).message}).`);
    }
    const result = await sendTransaction({
      url: uploadUrl(),
      token,
      clientId: await database.getClientId(),
      transaction,
    });
    if (result.kind !== 'complete') {
      if (result.kind === 'reauth') this.token = null;
      if (result.kind === 'stuck') {
        stuckUpload.set({
          ...identify(transaction),
          operations: transaction.crud.length,
          code: result.code,
          message: result.message,
          at: new Date().toISOString(),
        });
      }
      throw this.failed(result.kind, result.message);
    }
    await transaction.complete();
    if (isStuck(stuckUpload.get(), transaction)) stuckUpload.set(null);
    uploadLog.set((log) => ({
      lastError: null,
      lastSuccessAt: new Date().toISOString(),
      completed: log.completed + 1,
    }));
    if (result.notable.length > 0) notableOutcomes.set((list) => [...list, ...result.notable]);
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
