import { drainQueue, identify } from '@cr/connector-kit';
import type { AbstractPowerSyncDatabase, PowerSyncBackendConnector, PowerSyncCredentials } from '@powersync/web';
import { fetchToken, uploadUrl } from '../api/api-client.ts';
import { isStuck, notableOutcomes, stuckUpload, type UploadError, uploadLog, uploadProgress } from './upload-events.ts';

/** Operations queued from which an upload's progress is shown. */
const BACKLOG = 50;

/** Thrown from uploadData so PowerSync keeps the transaction and retries it later. */
export class UploadNotDone extends Error {
  override name = 'UploadNotDone';
}

/**
 * The PowerSync connector of one signed-in demo user.
 *
 * - `fetchCredentials`: a token from the API's demo sign-in; the PowerSync endpoint is this page's
 *   own origin (apps/web/serve.ts forwards the sync paths), whatever the token response suggests.
 * - `uploadData`: drains the queue to POST /api/data (`drainQueue` of @cr/connector-kit): many
 *   client transactions per request in chunks below the API's limits, each completed only when
 *   the server has an outcome for every one of its operations; the rest stays queued and
 *   PowerSync calls again later. Progress is published while it runs (uploadProgress). A
 *   transaction the server can never accept as sent (400, 403, 413) is shown to the user and not
 *   sent again until they act (stuck-upload/): PowerSync's next calls fail at once, without a
 *   request.
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
    const result = await drainQueue({
      database,
      url: uploadUrl(),
      token: async () => {
        try {
          return (await this.currentToken()).value;
        } catch (error) {
          throw this.failed('network', `The upload API could not be reached (${(error as Error).message}).`);
        }
      },
      // Refused for good: it waits for the user (export, discard, or try again), not for a timer.
      isBlocked: (transaction) => isStuck(stuckUpload.get(), transaction),
      // A backlog (after working offline) is told; a few live edits are not worth a flicker.
      onProgress: (progress) => uploadProgress.set(progress.total >= BACKLOG ? progress : null),
      onCompleted: (count, notable) => {
        const stuck = stuckUpload.get();
        if (stuck && count > 0) stuckUpload.set(null); // the refused one went through (tried again)
        uploadLog.set((log) => ({
          lastError: null,
          lastSuccessAt: new Date().toISOString(),
          completed: log.completed + count,
        }));
        if (notable.length > 0) notableOutcomes.set((list) => [...list, ...notable]);
      },
    }).finally(() => uploadProgress.set(null));
    if (result.kind === 'drained') return;
    const { verdict, head } = result;
    if (verdict.kind === 'blocked') throw new UploadNotDone(stuckUpload.get()?.message ?? 'Waiting for the user.');
    if (verdict.kind === 'reauth') this.token = null;
    if (verdict.kind === 'stuck') {
      stuckUpload.set({
        ...identify(head),
        operations: head.crud.length,
        code: verdict.code,
        message: verdict.message,
        at: new Date().toISOString(),
      });
    }
    throw this.failed(verdict.kind, verdict.message);
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
