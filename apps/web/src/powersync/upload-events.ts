import { createStore } from '../ui/store.ts';
import type { OperationOutcome } from './upload-verdict.ts';

/** The last upload problem, for the sync status panel (null once an upload succeeds again). */
export interface UploadError {
  message: string;
  /** What the connector does about it. */
  kind: 'reauth' | 'keep' | 'retry' | 'network';
  at: string;
}

export interface UploadLog {
  lastError: UploadError | null;
  lastSuccessAt: string | null;
  /** Uploaded transactions answered 200 since the page loaded. */
  completed: number;
}

export const uploadLog = createStore<UploadLog>({ lastError: null, lastSuccessAt: null, completed: 0 });

/** Rejections and conflicts reported by the API right after an upload (shown as toasts). */
export const notableOutcomes = createStore<OperationOutcome[]>([]);
