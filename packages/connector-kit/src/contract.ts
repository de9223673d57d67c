import { type Static, Type } from 'typebox';

/**
 * The upload contract between a PowerSync connector and the upload engine, declared once: the
 * API's route validates with these schemas (and describes itself by them), the engine's types are `Static<>` of
 * them, and the client judges answers with them (judge-upload.ts).
 *
 * Request: `POST <upload url>` with a bearer token and `{ client_id, batch }`, one client
 * transaction, each entry as `CrudEntry.toJSON()` writes it. Answer:
 * - 200 `{ outcomes }`: one outcome per operation; the server owns the fate of every one of them;
 * - 401: no usable token (sign in again);
 * - 400, 403, 413: this transaction can never be accepted as sent (`NEVER_ACCEPTED`);
 * - 5xx: try again later; nothing was applied.
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
