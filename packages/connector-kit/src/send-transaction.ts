import { judgeUpload, type UploadVerdict } from './judge-upload.ts';

/** What a connector uploads: a PowerSync `CrudTransaction` (or anything shaped like one). */
export interface UploadableTransaction {
  transactionId?: number | undefined;
  crud: readonly { clientId: number; toJSON(): unknown }[];
}

/** The verdict on the server's answer, or `network` when there was no answer. */
export type SendResult = UploadVerdict | { kind: 'network'; message: string };

/**
 * Uploads one client transaction (`{ client_id, batch }`, each entry as `CrudEntry.toJSON()`
 * writes it) and judges the answer. Never throws: a network failure is a result of its own, so
 * the connector decides (it keeps the transaction for PowerSync to retry).
 */
export async function sendTransaction(options: {
  url: string;
  token: string;
  clientId: string;
  transaction: UploadableTransaction;
  fetch?: typeof fetch;
}): Promise<SendResult> {
  const { transaction } = options;
  const send = options.fetch ?? fetch;
  let status: number;
  let body: unknown;
  try {
    const response = await send(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
      body: JSON.stringify({ client_id: options.clientId, batch: transaction.crud.map((entry) => entry.toJSON()) }),
    });
    status = response.status;
    body = await response.json().catch(() => null);
  } catch (error) {
    return { kind: 'network', message: `The upload API could not be reached (${(error as Error).message}).` };
  }
  return judgeUpload(
    status,
    body,
    transaction.crud.map((entry) => entry.clientId),
  );
}

/** Which transaction a refused one was: it is recognised at the head of the queue by these. */
export interface TransactionIdentity {
  /** `CrudTransaction.transactionId`, and the first operation's id. */
  transactionId: number | null;
  firstOpId: number;
}

/** Where a transaction is recognised from: its id and its operations' ids. */
export interface QueuedTransaction {
  transactionId?: number | undefined;
  crud: readonly { clientId: number }[];
}

export function identify(transaction: QueuedTransaction): TransactionIdentity {
  return { transactionId: transaction.transactionId ?? null, firstOpId: transaction.crud[0]?.clientId ?? 0 };
}

/** Whether `refused` is `transaction` (the same transaction id and first operation). */
export function isSameTransaction<T extends TransactionIdentity>(
  refused: T | null,
  transaction: QueuedTransaction,
): refused is T {
  return (
    refused !== null &&
    refused.transactionId === (transaction.transactionId ?? null) &&
    refused.firstOpId === transaction.crud[0]?.clientId
  );
}
