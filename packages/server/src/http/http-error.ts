import { isConfigError, isUnknownServiceError } from '@breakwater/core';
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

/** An error with its HTTP status, thrown by handlers and rendered by the app's error handler. */
export class HttpError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    status: ContentfulStatusCode,
    code: string,
    message: string,
    details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** The JSON body of every error: `{ error: { code, message, ...details } }`. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string } & Record<string, unknown>;
}

/** Maps anything thrown by a handler to a status and a body; unknown errors become a bare 500. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (isAuthError(error))
    return new HttpError(
      401,
      error.code === 'expired_token' ? httpErrorCodes.tokenExpired : httpErrorCodes.unauthorized,
      error.message,
    );
  if (isUnknownServiceError(error))
    return new HttpError(404, error.code, error.message, { service: error.service });
  if (isConfigError(error))
    return new HttpError(400, error.code, error.message, {
      option: error.option,
      value: error.value,
      expected: error.expected,
    });
  return new HttpError(500, httpErrorCodes.internal, 'Internal server error');
}

export function errorBody(error: HttpError): ErrorBody {
  return { error: { code: error.code, message: error.message, ...error.details } };
}
