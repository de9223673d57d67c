import { UploadErrorCode } from '@cr/connector-kit/contract';

/**
 * Errors the API answers with a 4xx or 5xx: `{ error: { code, message } }`. Operations inside a
 * readable, authenticated upload are never answered this way; they get an outcome each.
 */
export const ApiErrorCode = {
  /** The upload contract's own codes (@cr/connector-kit): what an upload can be answered with. */
  ...UploadErrorCode,
  UnknownUser: 'UNKNOWN_USER',
  DevTokensDisabled: 'DEV_TOKENS_DISABLED',
  NotFound: 'NOT_FOUND',
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
