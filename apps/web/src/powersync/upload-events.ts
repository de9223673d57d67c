import {
  isSameTransaction,
  type OperationOutcome,
  type QueuedTransaction,
  type TransactionIdentity,
} from '@cr/connector-kit';
import { createStore } from '../ui/store.ts';

/** The last upload problem, for the sync status panel (null once an upload succeeds again). */
export interface UploadError {
  message: string;
  /** What the connector does about it. */
  kind: 'reauth' | 'stuck' | 'retry' | 'network';
  at: string;
}

export interface UploadLog {
  lastError: UploadError | null;
  lastSuccessAt: string | null;
  /** Uploaded transactions answered 200 since the page loaded. */
  completed: number;
}

export const uploadLog = createStore<UploadLog>({ lastError: null, lastSuccessAt: null, completed: 0 });

/** While a backlog uploads: operations uploaded of those queued ("uploading 3,200 of 10,000"). */
export const uploadProgress = createStore<{ done: number; total: number } | null>(null);

/** Rejections, conflicts and merges reported by the API right after an upload (shown as toasts). */
export const notableOutcomes = createStore<OperationOutcome[]>([]);

/**
 * A transaction the server can never accept as it is (over a size limit, unreadable, another
 * user's client id). It heads the upload queue and blocks it until the user exports or discards
 * it (stuck-upload/), so it is shown, never retried silently.
 */
export interface StuckUpload extends TransactionIdentity {
  operations: number;
  /** The server's error code (BODY_TOO_LARGE, TOO_MANY_OPERATIONS, CLIENT_ID_IN_USE …). */
  code: string | null;
  message: string;
  at: string;
}

export const stuckUpload = createStore<StuckUpload | null>(null);

/** Whether `stuck` is the transaction with this id whose first operation is `firstOpId`. */
export function isStuck(stuck: StuckUpload | null, transaction: QueuedTransaction): stuck is StuckUpload {
  return isSameTransaction(stuck, transaction);
}
