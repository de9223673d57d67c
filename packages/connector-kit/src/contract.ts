import { type Static, Type } from 'typebox';

/**
 * The upload contract between a PowerSync connector and the upload engine, declared once: the
 * API's route validates with these schemas (and describes itself by them), the engine's types are `Static<>` of
 * them, and the client judges answers with them (judge-upload.ts).
 *
 * Request: `POST <upload url>` with a bearer token and either form:
 * - single: `{ client_id, batch }`, one client transaction, each entry as `CrudEntry.toJSON()`
 *   writes it (what older connectors send);
 * - multi: `{ client_id, transactions: [{ tx_id, batch }, …] }`, several client transactions in
 *   queue order. Each is applied atomically on its own, in order (a later one sees the effects of
 *   earlier ones), exactly as if each had been sent alone in the single form.
 * Answer:
 * - 200 `{ outcomes }` (single): one outcome per operation; the server owns the fate of every one;
 * - 200 `{ transactions: [{ outcomes }, …], stopped? }` (multi): the outcomes of the first
 *   `transactions.length` transactions, which are done (the client completes exactly those). When
 *   that is fewer than were sent, `stopped` says why (a transient failure at the next one): the
 *   rest were not applied and are to be sent again later;
 * - 401: no usable token (sign in again);
 * - 400, 403, 413: this request can never be accepted as sent (`NEVER_ACCEPTED`);
 * - 5xx: try again later; nothing was applied (in the multi form: not even the first transaction).
 * Redelivering a request, or any suffix of its transactions, changes nothing: the ledger answers
 * operations already applied with their recorded outcome.
 */

/**
 * One CrudEntry as `CrudEntry.toJSON()` writes it. Only `op_id` is required here: it keys the
 * ledger. Everything else is checked per operation, so that one malformed operation is recorded
 * as a rejection instead of failing the whole request and blocking the client's queue.
 */
export const CrudEntryBody = Type.Object(
  {
    op_id: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
    op: Type.Optional(Type.Unknown()),
    type: Type.Optional(Type.Unknown()),
    id: Type.Optional(Type.Unknown()),
    tx_id: Type.Optional(Type.Unknown()),
    data: Type.Optional(Type.Unknown()),
    old: Type.Optional(Type.Unknown()),
    metadata: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: true },
);
export type CrudEntryBody = Static<typeof CrudEntryBody>;

export const UploadBody = Type.Object({
  client_id: Type.String({
    minLength: 1,
    maxLength: 128,
    description: 'The PowerSync client id of the uploading database',
  }),
  // The operation limit is checked before the schema: 413 TOO_MANY_OPERATIONS.
  batch: Type.Array(CrudEntryBody, { description: 'One client transaction' }),
});
export type UploadBody = Static<typeof UploadBody>;

/** One client transaction in the multi form: its PowerSync transaction id and its operations. */
export const ClientTransactionBody = Type.Object({
  tx_id: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  batch: Type.Array(CrudEntryBody, { description: 'The operations of one client transaction' }),
});
export type ClientTransactionBody = Static<typeof ClientTransactionBody>;

export const UploadManyBody = Type.Object({
  client_id: UploadBody.properties.client_id,
  // The operation and transaction limits are checked before the schema: 413 TOO_MANY_OPERATIONS.
  transactions: Type.Array(ClientTransactionBody, {
    minItems: 1,
    description: 'Client transactions in queue order, each applied atomically on its own',
  }),
});
export type UploadManyBody = Static<typeof UploadManyBody>;

/** Either form of the upload request. */
export const AnyUploadBody = Type.Union([UploadBody, UploadManyBody]);
export type AnyUploadBody = Static<typeof AnyUploadBody>;

/** What became of one operation: applied, merged (some fields lost to newer ones), rejected, conflict. */
export const OutcomeStatus = Type.Union([
  Type.Literal('applied'),
  Type.Literal('merged'),
  Type.Literal('rejected'),
  Type.Literal('conflict'),
]);
export type OutcomeStatus = Static<typeof OutcomeStatus>;
export const OUTCOME_STATUSES: readonly OutcomeStatus[] = ['applied', 'merged', 'rejected', 'conflict'];

export const OperationOutcome = Type.Object({
  op_id: Type.Integer(),
  table: Type.String(),
  id: Type.String(),
  status: OutcomeStatus,
  code: Type.Optional(Type.String({ description: 'A stable code, e.g. STALE_WRITE' })),
  message: Type.Optional(Type.String({ description: 'A sentence for people' })),
  conflict_id: Type.Optional(Type.String({ description: 'The write_conflicts row recorded for it' })),
});
export type OperationOutcome = Static<typeof OperationOutcome>;

export const UploadResponse = Type.Object({ outcomes: Type.Array(OperationOutcome) });
export type UploadResponse = Static<typeof UploadResponse>;

/** Why a multi-transaction upload stopped before its end (the rest is to be sent again). */
export const UploadStopped = Type.Object({
  code: Type.String({ description: 'DATABASE_UNAVAILABLE, INTERNAL_ERROR, …' }),
  message: Type.String(),
});
export type UploadStopped = Static<typeof UploadStopped>;

export const UploadManyResponse = Type.Object({
  transactions: Type.Array(UploadResponse, { description: 'The transactions done, in order, from the first' }),
  stopped: Type.Optional(UploadStopped),
});
export type UploadManyResponse = Static<typeof UploadManyResponse>;

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable error code, e.g. INVALID_TOKEN' }),
      message: Type.String({ description: 'A sentence for people' }),
    }),
  },
  { $id: 'ErrorResponse' },
);
export type ErrorResponse = Static<typeof ErrorResponse>;

/** The codes of an upload answered with an error instead of outcomes. */
export const UploadErrorCode = {
  /** 400: the body is not JSON, or not an upload. */
  InvalidJson: 'INVALID_JSON',
  InvalidRequest: 'INVALID_REQUEST',
  /** 400: a client id Postgres cannot store. */
  InvalidClientId: 'INVALID_CLIENT_ID',
  /** 403: the client id belongs to another user. */
  ClientIdInUse: 'CLIENT_ID_IN_USE',
  /** 413: over the body size or operation count limit. */
  BodyTooLarge: 'BODY_TOO_LARGE',
  TooManyOperations: 'TOO_MANY_OPERATIONS',
  /** 401: sign in (again). */
  MissingToken: 'MISSING_TOKEN',
  InvalidToken: 'INVALID_TOKEN',
  TokenExpired: 'TOKEN_EXPIRED',
  /** 503: try again later. */
  DatabaseUnavailable: 'DATABASE_UNAVAILABLE',
  /** 500: a fault on the server; the upload may be retried. */
  Internal: 'INTERNAL_ERROR',
} as const;
export type UploadErrorCode = (typeof UploadErrorCode)[keyof typeof UploadErrorCode];

/** Answers that mean "never as it is", as opposed to "not now": the client shows the transaction. */
export const NEVER_ACCEPTED: readonly number[] = [400, 403, 413];
