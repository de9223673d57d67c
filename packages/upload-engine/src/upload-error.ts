import type { UploadErrorCode } from '@cr/connector-kit/contract';

/**
 * A request the engine answers with an error instead of outcomes (`{ error: { code, message } }`):
 * 400 / 403 / 413 for a transaction that can never be accepted as sent, 503 to retry later.
 * Operations inside a readable, attributed upload are never answered this way; they get an
 * outcome each.
 */
export class UploadError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: UploadErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}
