import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { drainQueue, sendTransaction } from '@cr/connector-kit';
import { AppSchema } from '@cr/demo-domain/client';
import { type PowerSyncBackendConnector, SyncStreamConnectionMethod } from '@powersync/common';
import { PowerSyncDatabase } from '@powersync/node';
import type { BenchStack } from './stack.ts';

/** How the client uploads: many transactions per request, or one per request (the connector before). */
export type UploadMode = 'multi' | 'one-per-request';

export interface BenchClient {
  db: PowerSyncDatabase;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  close(): Promise<void>;
}

/** A real @powersync/node client of `user`, in a temporary directory, uploading in `mode`. */
export async function openClient(stack: BenchStack, user: string, mode: UploadMode): Promise<BenchClient> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cr-catch-up-'));
  const db = new PowerSyncDatabase({
    schema: AppSchema,
    database: { dbFilename: `${path.basename(dir)}.db`, dbLocation: dir },
    logger: { log: () => {} },
  });
  await db.init();
  let token: string | null = null;
  const currentToken = async () => {
    token ??= await stack.token(user);
    return token;
  };
  const url = `${stack.apiUrl}/api/data`;
  const connector: PowerSyncBackendConnector = {
    fetchCredentials: async () => ({ endpoint: stack.syncUrl, token: await currentToken() }),
    async uploadData(database) {
      if (mode === 'multi') {
        const result = await drainQueue({ database, url, token: currentToken });
        if (result.kind !== 'drained') throw new Error(`upload stopped: ${JSON.stringify(result.verdict)}`);
        return;
      }
      // The web connector before this change: one client transaction per call and request.
      const transaction = await database.getNextCrudTransaction();
      if (!transaction) return;
      const clientId = await database.getClientId();
      const result = await sendTransaction({ url, token: await currentToken(), clientId, transaction });
      if (result.kind !== 'complete') throw new Error(`upload failed: ${result.message}`);
      await transaction.complete();
    },
  };
  return {
    db,
    connect: () =>
      db.connect(connector, {
        connectionMethod: SyncStreamConnectionMethod.HTTP,
        crudUploadThrottleMs: 0,
        retryDelayMs: 200,
      }),
    disconnect: () => db.disconnect(),
    async close() {
      await db.disconnectAndClear().catch(() => {});
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
