export { fieldChanges, OUTCOME_TABLES, rejections, writeConflicts } from '@cr/strategies';
export { applyTransaction, type TransactionRequest, type TransactionResult } from './apply/apply-transaction.ts';
export { applyUpload } from './apply/apply-upload.ts';
export { claimOf } from './apply/decide-group.ts';
export { createEngine, type Engine } from './apply/engine.ts';
export { withClient } from './db/checkout.ts';
export { classifyPgError, describeDataError, type PgErrorKind } from './db/pg-errors.ts';
export { createRowStore, type RowStore } from './db/row-store.ts';
export { WriteStatement } from './db/write-statement.ts';
export type { ClaimLimits } from './field-changes/claim.ts';
export {
  FieldChangeWorker,
  type ResolveAuthors,
  type WorkerLogger,
  type WorkerOptions,
  type WorkerStatus,
} from './field-changes/field-change-worker.ts';
export { FIELD_CHANGES_CHANNEL, NotifyListener } from './field-changes/notify-listener.ts';
export {
  answerError,
  createUploadHandler,
  errorAnswer,
  type UploadAnswer,
  type UploadCounters,
  type UploadHandler,
  type UploadHandlerOptions,
  type UploadRequest,
} from './handler/upload-handler.ts';
export { BodyTooLarge, drainLimitFor, LimitedBody, readBody } from './http/read-body.ts';
export { ENGINE_MIGRATIONS, tombstoneTriggers } from './migrations.ts';
export { UploadError } from './upload-error.ts';
