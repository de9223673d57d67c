import type { OperationOutcome } from './contract.ts';
import { type SendResult, sendTransaction, type UploadableTransaction } from './send-transaction.ts';
import {
  type ChunkLimits,
  DEFAULT_CHUNK_LIMITS,
  fitsChunk,
  type PreparedTransaction,
  prepareTransaction,
  sendTransactions,
} from './send-transactions.ts';

/** A queued client transaction as PowerSync hands it out (`CrudTransaction`). */
export interface QueuedCrudTransaction extends UploadableTransaction {
  complete(checkpoint?: string): Promise<void>;
}

/** What the drain needs of a PowerSync database (`AbstractPowerSyncDatabase` has all of it). */
export interface DrainableDatabase {
  getCrudTransactions(): AsyncIterable<QueuedCrudTransaction>;
  getClientId(): Promise<string>;
  getUploadQueueStats(): Promise<{ count: number }>;
}

export interface DrainOptions {
  database: DrainableDatabase;
  url: string;
  /** The bearer token (asked once per drain). */
  token: () => Promise<string>;
  limits?: ChunkLimits;
  /**
   * A transaction known to be refused for good (shown to the user): the drain stops before it
   * without sending it. Only the head of the queue can be one.
   */
  isBlocked?: (transaction: QueuedCrudTransaction) => boolean;
  /** Operations uploaded so far of those queued when the drain began (and since). */
  onProgress?: (progress: { done: number; total: number }) => void;
  /** After each request that completed transactions: their outcomes worth telling the user. */
  onCompleted?: (count: number, notable: OperationOutcome[]) => void;
  fetch?: typeof fetch;
}

/** How a drain ended: the queue is empty, or it stopped at its head for `verdict`. */
export type DrainResult =
  | { kind: 'drained'; transactions: number }
  | {
      kind: 'stopped';
      transactions: number;
      verdict: Exclude<SendResult, { kind: 'complete' }> | { kind: 'blocked' };
      /** The transaction at the head of the queue when it stopped. */
      head: QueuedCrudTransaction;
    };

/**
 * Uploads the queue, in order, with as few requests as the limits allow: consecutive
 * transactions are gathered into chunks below `limits` (operations and bytes) and sent in the
 * multi-transaction form; the connector completes exactly the transactions the server reports
 * done (`complete()` of the last one removes it and all before it from the queue). A chunk of one
 * transaction, and a transaction larger than the limits, go alone in the single form. When the
 * server refuses a chunk for good (400, 403, 413), its head is sent alone next, so the verdict,
 * and what the user is shown, is about that one transaction, as it is with one per request.
 * Anything else that is not done (sign in again, retry, network) stops the drain: the rest
 * stays queued for PowerSync's next call.
 */
export async function drainQueue(options: DrainOptions): Promise<DrainResult> {
  const { database } = options;
  let limits = options.limits ?? DEFAULT_CHUNK_LIMITS;
  const clientId = await database.getClientId();
  let token: string | null = null;
  let alone = false;
  let completed = 0;
  let uploaded = 0;
  let total = (await database.getUploadQueueStats()).count;

  for (;;) {
    const chunk = await nextChunk(database, alone ? { maxOperations: 0, maxBytes: 0 } : limits);
    const head = chunk[0]?.transaction;
    if (!head) return { kind: 'drained', transactions: completed };
    if (options.isBlocked?.(head))
      return { kind: 'stopped', transactions: completed, verdict: { kind: 'blocked' }, head };
    token ??= await options.token();
    const operations = chunk.reduce((sum, item) => sum + item.transaction.crud.length, 0);
    total = Math.max(total, uploaded + operations);
    if (uploaded === 0 && total > operations) options.onProgress?.({ done: 0, total });

    if (chunk.length === 1) {
      const result = await sendTransaction({
        url: options.url,
        token,
        clientId,
        transaction: head,
        ...fetchOf(options),
      });
      if (result.kind !== 'complete') return { kind: 'stopped', transactions: completed, verdict: result, head };
      await head.complete();
      completed += 1;
      alone = false;
      uploaded += operations;
      options.onCompleted?.(1, result.notable);
      options.onProgress?.({ done: uploaded, total });
      continue;
    }

    const result = await sendTransactions({
      url: options.url,
      token,
      clientId,
      transactions: chunk,
      ...fetchOf(options),
    });
    if (result.kind === 'stuck') {
      // Which transaction is it? Send the head alone: its own answer says. And should the
      // server's limits be below ours, smaller chunks from now on.
      alone = true;
      const bytes = chunk.reduce((sum, item) => sum + item.json.length, 0);
      limits = { maxOperations: Math.max(1, operations >> 1), maxBytes: Math.max(1024, bytes >> 1) };
      continue;
    }
    if (result.kind !== 'done') return { kind: 'stopped', transactions: completed, verdict: result, head };
    const last = chunk[result.done - 1]?.transaction as QueuedCrudTransaction;
    await last.complete();
    completed += result.done;
    uploaded += chunk.slice(0, result.done).reduce((sum, item) => sum + item.transaction.crud.length, 0);
    options.onCompleted?.(result.done, result.notable);
    options.onProgress?.({ done: uploaded, total });
    if (result.stopped !== null) {
      const next = chunk[result.done]?.transaction as QueuedCrudTransaction;
      return {
        kind: 'stopped',
        transactions: completed,
        verdict: { kind: 'retry', message: result.stopped },
        head: next,
      };
    }
  }
}

const fetchOf = (options: DrainOptions) => (options.fetch ? { fetch: options.fetch } : {});

/** The transactions at the head of the queue that fit in one request (at least one). */
async function nextChunk(
  database: DrainableDatabase,
  limits: ChunkLimits,
): Promise<PreparedTransaction<QueuedCrudTransaction>[]> {
  const chunk: PreparedTransaction<QueuedCrudTransaction>[] = [];
  for await (const transaction of database.getCrudTransactions()) {
    const prepared = prepareTransaction(transaction);
    if (!fitsChunk(chunk, prepared, limits)) break;
    chunk.push(prepared);
  }
  return chunk;
}
