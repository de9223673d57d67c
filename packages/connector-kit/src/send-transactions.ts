import { checker } from './checker.ts';
import { type OperationOutcome, UploadManyResponse } from './contract.ts';
import { isNotable, judgeUpload, type UploadVerdict } from './judge-upload.ts';
import type { UploadableTransaction } from './send-transaction.ts';

/** How large one multi-transaction upload may be: keep both below the API's limits. */
export interface ChunkLimits {
  /** Most operations in one request (the API's default limit is 10,000; default 2,000). */
  maxOperations: number;
  /** Most bytes of JSON in one request (the API's default body limit is 8 MiB; default 2 MiB). */
  maxBytes: number;
}

export const DEFAULT_CHUNK_LIMITS: ChunkLimits = { maxOperations: 2000, maxBytes: 2 * 1024 * 1024 };

/** The verdict on a multi-transaction upload, or `network` when there was no answer. */
export type SendManyResult =
  | {
      kind: 'done';
      /** How many of the sent transactions are done (from the first): complete exactly those. */
      done: number;
      /** Their outcomes, per transaction. */
      outcomes: OperationOutcome[][];
      notable: OperationOutcome[];
      /** Why the server stopped before the rest (they are to be sent again later), or null. */
      stopped: string | null;
    }
  | Exclude<UploadVerdict, { kind: 'complete' }>
  | { kind: 'network'; message: string };

/** A transaction's body, serialized once (its size decides the chunk). */
export interface PreparedTransaction<T extends UploadableTransaction = UploadableTransaction> {
  transaction: T;
  json: string;
}

export function prepareTransaction<T extends UploadableTransaction>(transaction: T): PreparedTransaction<T> {
  const batch = transaction.crud.map((entry) => entry.toJSON());
  return { transaction, json: JSON.stringify({ tx_id: transaction.transactionId ?? null, batch }) };
}

/**
 * Whether `next` still fits in a chunk that holds `chunk` (by operations and bytes). The first
 * transaction always fits: one larger than the limits is sent alone, and the server says so.
 */
export function fitsChunk(
  chunk: readonly PreparedTransaction[],
  next: PreparedTransaction,
  limits: ChunkLimits,
): boolean {
  if (chunk.length === 0) return true;
  let operations = next.transaction.crud.length;
  let bytes = next.json.length + 64;
  for (const item of chunk) {
    operations += item.transaction.crud.length;
    bytes += item.json.length + 1;
  }
  return operations <= limits.maxOperations && bytes <= limits.maxBytes;
}

const isManyResponse = checker(UploadManyResponse);

/** Judges the answer to a multi-transaction upload of transactions with operations `opIds`. */
export function judgeUploadMany(status: number, body: unknown, opIds: readonly (readonly number[])[]): SendManyResult {
  if (status !== 200) {
    const verdict = judgeUpload(status, body, []);
    // judgeUpload answers 'complete' for 200 only.
    return verdict.kind === 'complete' ? { kind: 'retry', message: 'Unexpected answer.' } : verdict;
  }
  if (!isManyResponse(body)) {
    return { kind: 'retry', message: 'The upload API answered without outcomes; the changes will be sent again.' };
  }
  // Done: the transactions answered in full, from the first, up to the first that is not.
  const outcomes: OperationOutcome[][] = [];
  for (const [index, answered] of body.transactions.entries()) {
    const ids = opIds[index];
    if (!ids) break;
    const have = new Set(answered.outcomes.map((outcome) => outcome.op_id));
    if (!ids.every((id) => have.has(id))) break;
    outcomes.push(answered.outcomes);
  }
  if (outcomes.length === 0) {
    const why = body.stopped?.message ?? 'The upload API did not report on these changes';
    return { kind: 'retry', message: `${why}; they will be sent again.` };
  }
  const stopped =
    outcomes.length < opIds.length
      ? (body.stopped?.message ?? `The upload API reported on ${outcomes.length} of ${opIds.length} transactions.`)
      : null;
  const notable = outcomes.flat().filter(isNotable);
  return { kind: 'done', done: outcomes.length, outcomes, notable, stopped };
}

/**
 * Uploads several client transactions in one request (`{ client_id, transactions }`) and judges
 * the answer. Never throws: a network failure is a result of its own.
 */
export async function sendTransactions(options: {
  url: string;
  token: string;
  clientId: string;
  transactions: readonly PreparedTransaction[];
  fetch?: typeof fetch;
}): Promise<SendManyResult> {
  const send = options.fetch ?? fetch;
  const body = `{"client_id":${JSON.stringify(options.clientId)},"transactions":[${options.transactions
    .map((item) => item.json)
    .join(',')}]}`;
  let status: number;
  let answer: unknown;
  try {
    const response = await send(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
      body,
    });
    status = response.status;
    answer = await response.json().catch(() => null);
  } catch (error) {
    return { kind: 'network', message: `The upload API could not be reached (${(error as Error).message}).` };
  }
  return judgeUploadMany(
    status,
    answer,
    options.transactions.map((item) => item.transaction.crud.map((entry) => entry.clientId)),
  );
}
