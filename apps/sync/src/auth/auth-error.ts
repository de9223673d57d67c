/** Authentication failures, with the official service's codes (docs/powersync-protocol.md §6). All answer 401. */
export const AuthErrorCode = {
  /** Generic: not a valid JWT, a required claim missing. */
  invalid: 'PSYNC_S2101',
  /** Unknown kid, or the signature does not match the key. */
  badSignature: 'PSYNC_S2102',
  expired: 'PSYNC_S2103',
  lifetimeTooLong: 'PSYNC_S2104',
  wrongAudience: 'PSYNC_S2105',
  /** No `Authorization: Token <jwt>` (or Bearer) header. */
  missingHeader: 'PSYNC_S2106',
} as const;

export type AuthErrorCode = (typeof AuthErrorCode)[keyof typeof AuthErrorCode];

export class AuthError extends Error {
  readonly statusCode = 401;
  constructor(
    readonly code: AuthErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

/** `Authorization: Token <jwt>` or `Bearer <jwt>`, as the official service accepts. */
export function tokenFromHeader(header: string | undefined): string {
  const match = /^(Token|Bearer) (\S+)$/.exec(header?.trim() ?? '');
  if (!match?.[2]) {
    throw new AuthError(AuthErrorCode.missingHeader, 'Authorization header must be "Token <jwt>" or "Bearer <jwt>"');
  }
  return match[2];
}
