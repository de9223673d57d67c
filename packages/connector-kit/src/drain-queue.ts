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

/** A queued operation as PowerSync hands it out (`CrudEntry`). */
export interface QueuedCrudEntry {
  clientId: number;
  transactionId?: number | undefined;
  toJSON(): unknown;
}

/** A queued client transaction (`CrudTransaction`: `complete()` removes it and all before it). */
export interface QueuedCrudTransaction extends UploadableTransaction {
  complete(checkpoint?: string): Promise<void>;
}

/** What the drain needs of a PowerSync database (`AbstractPowerSyncDatabase` has all of it). */
export interface DrainableDatabase {
  getCrudBatch(
    limit: number,
  ): Promise<{ crud: QueuedCrudEntry[]; haveMore: boolean; complete(): Promise<void> } | null>;
  getNextCrudTransaction(): Promise<QueuedCrudTransaction | null>;
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
  isBlocked?: (transaction: UploadableTransaction) => boolean;
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
      head: UploadableTransaction;
    };

/**
 * Uploads the queue, in order, with as few requests as the limits allow: the head of the queue
 * is read in one query (`getCrudBatch`), split into its client transactions (consecutive
 * operations of one transaction id, as `getCrudTransactions()` groups them: one query per
 * transaction there, about a millisecond each, would cost more than the upload), gathered into a
 * chunk below `limits` (operations and bytes) and sent in the multi-transaction form. The drain
 * then completes exactly the transactions the server reports done: it reads those operations
 * again and completes through the last one, after checking it is the one it sent. A chunk of one
 * transaction, and a transaction larger than the limits (read with `getNextCrudTransaction`), go
 * alone in the single form. When the server refuses a chunk for good (400, 403, 413), its head is
 * sent alone next, so the verdict, and what the user is shown, is about that one transaction, as
 * with one per request. Anything else not done (sign in again, retry, network) stops the drain:
 * the rest stays queued for PowerSync's next call.
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
  const done = (transactions: number, operations: number, notable: OperationOutcome[]) => {
    completed += transactions;
    uploaded += operations;
    options.onCompleted?.(transactions, notable);
    options.onProgress?.({ done: uploaded, total });
  };

  for (;;) {
    const chunk = await nextChunk(database, limits, alone);
    const head = chunk?.transactions[0]?.transaction;
    if (!chunk || !head) return { kind: 'drained', transactions: completed };
    if (options.isBlocked?.(head))
      return { kind: 'stopped', transactions: completed, verdict: { kind: 'blocked' }, head };
    token ??= await options.token();
    const operations = sizeOf(chunk.transactions);
    total = Math.max(total, uploaded + operations);
    if (uploaded === 0 && total > operations) options.onProgress?.({ done: 0, total });
    const send = { url: options.url, token, clientId, ...(options.fetch ? { fetch: options.fetch } : {}) };

    if (chunk.transactions.length === 1) {
      const result = await sendTransaction({ ...send, transaction: head });
      if (result.kind !== 'complete') return { kind: 'stopped', transactions: completed, verdict: result, head };
      await chunk.complete(1);
      alone = false;
      done(1, operations, result.notable);
      continue;
    }

    const result = await sendTransactions({ ...send, transactions: chunk.transactions });
    if (result.kind === 'stuck') {
      // Which transaction is it? Send the head alone: its own answer says. And should the
      // server's limits be below ours, smaller chunks from now on.
      alone = true;
      const bytes = chunk.transactions.reduce((sum, item) => sum + item.json.length, 0);
      limits = { maxOperations: Math.max(1, operations >> 1), maxBytes: Math.max(1024, bytes >> 1) };
      continue;
    }
    if (result.kind !== 'done') return { kind: 'stopped', transactions: completed, verdict: result, head };
    await chunk.complete(result.done);
    done(result.done, sizeOf(chunk.transactions.slice(0, result.done)), result.notable);
    if (result.stopped !== null) {
      const next = chunk.transactions[result.done]?.transaction ?? head;
      return {
        kind: 'stopped',
        transactions: completed,
        verdict: { kind: 'retry', message: result.stopped },
        head: next,
      };
    }
  }
}

const sizeOf = (transactions: readonly PreparedTransaction[]) =>
  transactions.reduce((sum, item) => sum + item.transaction.crud.length, 0);

interface Chunk {
  transactions: PreparedTransaction[];
  /** Removes the first `count` transactions of the chunk from the queue. */
  complete(count: number): Promise<void>;
}

/** The client transactions at the head of the queue that fit in one request (at least one). */
async function nextChunk(database: DrainableDatabase, limits: ChunkLimits, alone: boolean): Promise<Chunk | null> {
  // One more than fits: a transaction cut by the end of the batch is set aside for next time.
  const batch = await database.getCrudBatch(Math.max(1, limits.maxOperations) + 1);
  if (!batch) return null;
  const groups = splitTransactions(batch.crud);
  const cut = batch.haveMore || batch.crud.length > limits.maxOperations;
  if (cut && groups.length > 1) groups.pop();
  if (cut && groups.length === 1) {
    // One transaction larger than the limits: alone, whole, in the single form.
    const whole = await database.getNextCrudTransaction();
    if (!whole) return null;
    return { transactions: [prepareTransaction(whole)], complete: () => whole.complete() };
  }
  const transactions: PreparedTransaction[] = [];
  for (const group of groups) {
    const prepared = prepareTransaction(group);
    if (alone && transactions.length > 0) break;
    if (!fitsChunk(transactions, prepared, limits)) break;
    transactions.push(prepared);
  }
  return {
    transactions,
    async complete(count) {
      const entries = sizeOf(transactions.slice(0, count));
      const last = transactions[count - 1]?.transaction.crud.at(-1)?.clientId;
      // Read exactly those operations again: complete() of that batch removes through its last.
      const confirm = await database.getCrudBatch(entries);
      if (!confirm || confirm.crud.length !== entries || confirm.crud.at(-1)?.clientId !== last) {
        throw new Error('The upload queue changed while uploading; the upload will be retried.');
      }
      await confirm.complete();
    },
  };
}

/** Consecutive operations of one transaction id, as `getCrudTransactions()` groups them. */
export function splitTransactions(entries: readonly QueuedCrudEntry[]): UploadableTransaction[] {
  const transactions: { transactionId?: number | undefined; crud: QueuedCrudEntry[] }[] = [];
  let current: (typeof transactions)[number] | null = null;
  let previous: QueuedCrudEntry | null = null;
  for (const entry of entries) {
    const sameTransaction =
      current !== null &&
      previous !== null &&
      entry.transactionId !== undefined &&
      entry.transactionId !== null &&
      entry.transactionId === previous.transactionId &&
      entry.clientId === previous.clientId + 1;
    if (!sameTransaction || !current) {
      current = { transactionId: entry.transactionId, crud: [] };
      transactions.push(current);
    }
    current.crud.push(entry);
    previous = entry;
  }
  return transactions;
}
