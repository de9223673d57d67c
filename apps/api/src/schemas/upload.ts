import { Type } from 'typebox';

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

export const UploadBody = Type.Object({
  client_id: Type.String({
    minLength: 1,
    maxLength: 128,
    description: 'The PowerSync client id of the uploading database',
  }),
  // The operation limit (API_MAX_OPERATIONS) is checked before the schema: 413 TOO_MANY_OPERATIONS.
  batch: Type.Array(CrudEntryBody, { description: 'One client transaction' }),
});

export const OperationOutcome = Type.Object({
  op_id: Type.Integer(),
  table: Type.String(),
  id: Type.String(),
  status: Type.Union([
    Type.Literal('applied'),
    Type.Literal('merged'),
    Type.Literal('rejected'),
    Type.Literal('conflict'),
  ]),
  code: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
  conflict_id: Type.Optional(Type.String()),
});

export const UploadResponse = Type.Object({ outcomes: Type.Array(OperationOutcome) });
