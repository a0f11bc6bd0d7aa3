import type { Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { RequestError } from '@hono/node-server';
import { type ErrorBody, httpErrorCodes } from './http-error';

/** What a request Node could not parse is answered with: status line and JSON error. */
interface ParseFailure {
  readonly status: string;
  readonly code: string;
  readonly message: string;
}

/** Node's parser error codes with an answer of their own; any other parse error is a 400. */
const failures: Readonly<Record<string, ParseFailure>> = {
  HPE_HEADER_OVERFLOW: {
    status: '431 Request Header Fields Too Large',
    code: httpErrorCodes.headersTooLarge,
    message:
      'The request headers are larger than the server accepts (16 KB by default): send a shorter URL, fewer or smaller headers',
  },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: {
    status: '413 Payload Too Large',
    code: httpErrorCodes.payloadTooLarge,
    message: 'The chunk extensions of the request body are too large',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: '408 Request Timeout',
    code: httpErrorCodes.badRequest,
    message: 'The request was not received in time',
  },
};

const malformed: ParseFailure = {
  status: '400 Bad Request',
  code: httpErrorCodes.badRequest,
  message: 'The request is not valid HTTP/1.1',
};

/**
 * Answers requests Node's HTTP parser refuses (headers over the size limit:
 * 431, anything malformed: 400) with the API's JSON error body instead of
 * Node's empty one, then closes the connection. A socket that is gone or
 * already mid-answer is only destroyed, as Node itself does.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const code = String(error.code ?? '');
    const answering = (socket as { _httpMessage?: ServerResponse })._httpMessage;
    if (code === 'ECONNRESET' || !socket.writable || answering?.headersSent) {
      socket.destroy();
      return;
    }
    const failure = failures[code] ?? malformed;
    const body: ErrorBody = { error: { code: failure.code, message: failure.message } };
    const json = JSON.stringify(body);
    socket.end(
      `HTTP/1.1 ${failure.status}\r\n` +
        'Content-Type: application/json; charset=UTF-8\r\n' +
        `Content-Length: ${Buffer.byteLength(json)}\r\n` +
        'Connection: close\r\n\r\n' +
        json,
      // Written out: a client that keeps the connection half open must not hold it.
      () => socket.destroy(),
    );
  });
}

/**
 * What `@hono/node-server` answers when it cannot make a fetch `Request` of
 * what Node parsed (a target such as `*`, or a Host that is no host): 400
 * with the API's JSON error instead of its empty one. Anything else it
 * reports here is the monitor's own failure: 500, as the app answers it.
 */
export function answerUnreadableRequest(error: unknown): Response {
  const body: ErrorBody =
    error instanceof RequestError
      ? {
          error: {
            code: httpErrorCodes.badRequest,
            message: 'The request target or Host header does not make a URL the monitor can serve',
          },
        }
      : {
          error: {
            code: httpErrorCodes.internal,
            message:
              "Unexpected error while reading the request; the monitor's log has the details",
          },
        };
  return Response.json(body, { status: error instanceof RequestError ? 400 : 500 });
}

/**
 * An HTTP answer written on a bare socket (an upgrade request has no
 * response object): a status line and the API's JSON error. The connection
 * is closed once it is written.
 */
export function rawErrorAnswer(
  status: string,
  code: string,
  message: string,
  details: Readonly<Record<string, unknown>> = {},
  headers: Readonly<Record<string, string>> = {},
): string {
  const body: ErrorBody = { error: { code, message, ...details } };
  const json = JSON.stringify(body);
  const lines = [
    `HTTP/1.1 ${status}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    'Content-Type: application/json; charset=UTF-8',
    'Connection: close',
    `Content-Length: ${Buffer.byteLength(json)}`,
  ];
  return `${lines.join('\r\n')}\r\n\r\n${json}`;
}
