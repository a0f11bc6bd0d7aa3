import {
  defineError,
  errorCodes,
  excerpt,
  isBreakwaterError,
  isConfigError,
  isRegistryClosedError,
  isUnknownServiceError,
  showValue,
} from '@breakwater/core';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isAuthError } from '../auth/auth-error';
import { storeOutageOf } from './store-outage';

/** Codes of errors the HTTP layer itself raises (core errors keep their `BW_` code). */
export const httpErrorCodes = Object.freeze({
  unauthorized: 'UNAUTHORIZED',
  tokenExpired: 'TOKEN_EXPIRED',
  forbidden: 'FORBIDDEN',
  tooManyRequests: 'TOO_MANY_REQUESTS',
  notFound: 'NOT_FOUND',
  methodNotAllowed: 'METHOD_NOT_ALLOWED',
  invalidJson: 'INVALID_JSON',
  invalidRequest: 'INVALID_REQUEST',
  payloadTooLarge: 'PAYLOAD_TOO_LARGE',
  headersTooLarge: 'HEADERS_TOO_LARGE',
  badRequest: 'BAD_REQUEST',
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

/**
 * Maps anything thrown by a handler to a status and a body. `during` names
 * the request (`PATCH /api/...`) for a 500, whose message says what failed:
 * a Breakwater error keeps its code and message (written to be shown); for
 * anything else only its class is named, since its message may hold
 * internals; the app's error handler logs it with its stack.
 */
export function toHttpError(error: unknown, during = 'the request'): HttpError {
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
      { service: excerpt(error.service) },
      { cause: error },
    );
  if (isConfigError(error))
    return new HttpError(
      400,
      error.code,
      error.message,
      { option: error.option, value: excerptOf(error.value), expected: error.expected },
      { cause: error },
    );
  // The monitor is up but cannot act: its store is out of reach, or its registry is shutting down.
  const outage = storeOutageOf(error);
  if (outage !== undefined)
    return new HttpError(
      503,
      errorCodes.storeUnavailable,
      outage.message,
      { store: outage.store },
      { cause: error },
    );
  if (isRegistryClosedError(error))
    return new HttpError(503, error.code, error.message, {}, { cause: error });
  if (error instanceof HTTPException)
    return new HttpError(
      error.status as ContentfulStatusCode,
      error.status === 413 ? httpErrorCodes.payloadTooLarge : httpErrorCodes.badRequest,
      error.message === '' ? `${during} was refused (HTTP ${error.status})` : error.message,
      {},
      { cause: error },
    );
  if (isBreakwaterError(error))
    return new HttpError(500, error.code, error.message, {}, { cause: error });
  const name = error instanceof Error ? error.name : typeof error;
  return new HttpError(
    500,
    httpErrorCodes.internal,
    `Unexpected ${excerpt(name, 60)} while serving ${during}; the monitor's log has the details`,
    {},
    { cause: error },
  );
}

/**
 * A refused value as an error body shows it: as it is when short, else a
 * string excerpt of it (of its JSON for an object), so a huge value sent in
 * is never sent back.
 */
function excerptOf(value: unknown): unknown {
  if (typeof value === 'string') return excerpt(value);
  if (typeof value !== 'object' || value === null) return value;
  const shown = showValue(value);
  return shown.endsWith('…') || shown.startsWith('[object ') ? shown : value;
}

export function errorBody(error: HttpError): ErrorBody {
  return { error: { code: error.bodyCode, message: error.message, ...error.details } };
}
