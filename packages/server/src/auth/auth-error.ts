/** Why a token was refused. The message never contains the token. */
export type AuthErrorCode = 'missing_token' | 'invalid_token' | 'expired_token';

/** A token could not be verified (HTTP 401). */
export class AuthError extends Error {
  readonly code: AuthErrorCode;

  constructor(code: AuthErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AuthError';
    this.code = code;
  }
}

/** True when `value` is an {@link AuthError}. */
export function isAuthError(value: unknown): value is AuthError {
  return value instanceof Error && value.name === 'AuthError' && 'code' in value;
}

/** Authentication could not be set up (missing or short secret, unreadable key): a start-up error. */
export class AuthSetupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AuthSetupError';
  }
}
