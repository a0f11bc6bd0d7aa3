import { defineError, errorCodes } from '@breakwater/core';

/**
 * Authentication could not be set up: the secret is missing or too short,
 * or the public key file cannot be read or holds the wrong kind of key.
 * Thrown at start-up (`createMonitor`, `createAuthenticator`, `signToken`);
 * the message names the variable or the file, never the secret.
 */
export const AuthSetupError = defineError(
  errorCodes.authSetupFailed,
  'AuthSetupError',
  (message: string, options?: { readonly cause?: unknown }) => ({
    message,
    cause: options?.cause,
  }),
);
export type AuthSetupError = InstanceType<typeof AuthSetupError>;

/** True when `value` is an {@link AuthSetupError}, from any copy of the package. */
export const isAuthSetupError = AuthSetupError.is;
