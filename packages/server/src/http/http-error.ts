import {
  defineError,
  errorCodes,
  isConfigError,
  isRegistryClosedError,
  isStoreUnavailableError,
  isUnknownServiceError,
} from '@breakwater/core';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isAuthError } from '../auth/auth-error';

/** Codes of errors the HTTP layer itself raises (core errors keep their `BW_` code). */
export const httpErrorCodes = Object.freeze({
  unauthorized: 'UNAUTHORIZED',
  tokenExpired: 'TOKEN_EXPIRED',
  forbidden: 'FORBIDDEN',
  notFound: 'NOT_FOUND',
  invalidJson: 'INVALID_JSON',
  invalidRequest: 'INVALID_REQUEST',
  internal: 'INTERNAL_ERROR',
} as const);

/**
 * An error answer of the HTTP API: its status and the JSON body's `code`
 * (`bodyCode`: one of {@link httpErrorCodes}, or the `BW_` code of the
 * Breakwater error it stands for, which is then its `cause`). Thrown by
 * handlers and rendered by the app's error handler; its own `code` is
 * `BW_HTTP_ERROR`.
 */
export const HttpError = defineError(
  errorCodes.httpError,
  'HttpError',
  (
    status: ContentfulStatusCode,
    bodyCode: string,
    message: string,
    details: Readonly<Record<string, unknown>> = {},
    options?: { readonly cause?: unknown },
  ) => ({
    message,
    cause: options?.cause,
    /** The response status. */
    status,
    /** The `code` of the JSON body, e.g. `FORBIDDEN` or `BW_UNKNOWN_SERVICE`. */
    bodyCode,
    /** Fields the body carries beside `code` and `message`. */
    details,
  }),
);
export type HttpError = InstanceType<typeof HttpError>;

/** True when `value` is an {@link HttpError}, from any copy of the package. */
export const isHttpError = HttpError.is;

/** The JSON body of every error: `{ error: { code, message, ...details } }`. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string } & Record<string, unknown>;
}

/** Maps anything thrown by a handler to a status and a body; unknown errors become a bare 500. */
export function toHttpError(error: unknown): HttpError {
  if (isHttpError(error)) return error;
  if (isAuthError(error))
    return new HttpError(
      401,
      error.reason === 'expired_token' ? httpErrorCodes.tokenExpired : httpErrorCodes.unauthorized,
      error.message,
      {},
      { cause: error },
    );
  if (isUnknownServiceError(error))
    return new HttpError(
      404,
      error.code,
      error.message,
      { service: error.service },
      { cause: error },
    );
  if (isConfigError(error))
    return new HttpError(
      400,
      error.code,
      error.message,
      { option: error.option, value: error.value, expected: error.expected },
      { cause: error },
    );
  // The monitor is up but cannot act: its store is out of reach, or its registry is shutting down.
  if (isStoreUnavailableError(error))
    return new HttpError(503, error.code, error.message, { store: error.store }, { cause: error });
  if (isRegistryClosedError(error))
    return new HttpError(503, error.code, error.message, {}, { cause: error });
  return new HttpError(500, httpErrorCodes.internal, 'Internal server error', {}, { cause: error });
}

export function errorBody(error: HttpError): ErrorBody {
  return { error: { code: error.bodyCode, message: error.message, ...error.details } };
}
