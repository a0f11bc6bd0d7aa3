import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { errorBody, HttpError, httpErrorCodes } from './http-error';

/** The largest request body the API reads by default, bytes: a configuration change is well under 1 KB. */
export const defaultMaxBodyBytes = 65_536;

/**
 * Refuses a request body over `maxBytes` with 413 `PAYLOAD_TOO_LARGE`: at
 * once from its `Content-Length`, or as soon as a chunked body goes over,
 * so no more than `maxBytes` is ever read into memory. The connection is
 * closed after the answer rather than drained of the rest.
 */
export function limitBodies(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) =>
      c.json(
        errorBody(
          new HttpError(
            413,
            httpErrorCodes.payloadTooLarge,
            `The request body is larger than ${maxBytes} bytes, the monitor's limit (server.maxBodyBytes)`,
            { limit: maxBytes },
          ),
        ),
        413,
        { connection: 'close' },
      ),
  });
}
