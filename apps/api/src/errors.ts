/**
 * Errors the API answers with a 4xx or 5xx: `{ error: { code, message } }`. Operations inside a
 * readable, authenticated upload are never answered this way; they get an outcome each.
 */
export const ApiErrorCode = {
  InvalidJson: 'INVALID_JSON',
  InvalidRequest: 'INVALID_REQUEST',
  InvalidClientId: 'INVALID_CLIENT_ID',
  ClientIdInUse: 'CLIENT_ID_IN_USE',
  BodyTooLarge: 'BODY_TOO_LARGE',
  TooManyOperations: 'TOO_MANY_OPERATIONS',
  MissingToken: 'MISSING_TOKEN',
  InvalidToken: 'INVALID_TOKEN',
  TokenExpired: 'TOKEN_EXPIRED',
  UnknownUser: 'UNKNOWN_USER',
  DevTokensDisabled: 'DEV_TOKENS_DISABLED',
  NotFound: 'NOT_FOUND',
  DatabaseUnavailable: 'DATABASE_UNAVAILABLE',
  Internal: 'INTERNAL_ERROR',
} as const;
export type ApiErrorCode = (typeof ApiErrorCode)[keyof typeof ApiErrorCode];

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
