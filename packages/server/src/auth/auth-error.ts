import { defineError, errorCodes } from '@breakwater/core';

/** Why a token was refused. The message never contains the token. */
export type AuthErrorReason = 'missing_token' | 'invalid_token' | 'expired_token';

/** @deprecated Renamed {@link AuthErrorReason}: the values are now an `AuthError`'s `reason`. */
export type AuthErrorCode = AuthErrorReason;

/**
 * A bearer token was missing, invalid or expired (HTTP 401, WebSocket close
 * 4001). `reason` says which; the message never contains the token.
 */
export const AuthError = defineError(
  errorCodes.tokenRefused,
  'AuthError',
  (reason: AuthErrorReason, message: string, options?: { readonly cause?: unknown }) => ({
    message,
    cause: options?.cause,
    /** Why the token was refused: `missing_token`, `invalid_token` or `expired_token`. */
    reason,
  }),
);
export type AuthError = InstanceType<typeof AuthError>;

/** True when `value` is an {@link AuthError}, from any copy of the package. */
export const isAuthError = AuthError.is;
