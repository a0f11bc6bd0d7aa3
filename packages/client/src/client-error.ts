import type { CircuitActionType } from '@breakwater/protocol';

/**
 * Every code a `ClientError` carries. They belong to Breakwater's one error
 * catalogue (docs/errors.md): `BW_INVALID_CONFIG` and `BW_TOKEN_REFUSED`
 * mean here what they mean everywhere else.
 */
export const clientErrorCodes = Object.freeze({
  /** An option or an argument has a bad value. */
  invalidConfig: 'BW_INVALID_CONFIG',
  /** The monitor refused the token (close code 4001): the client stops reconnecting. */
  tokenRefused: 'BW_TOKEN_REFUSED',
  /** An operator action was refused because the token's role is not admin (4003). */
  actionForbidden: 'BW_ACTION_FORBIDDEN',
  /** An operator action failed on the monitor: an unknown service (4004), a rate limit (4029)… */
  actionFailed: 'BW_ACTION_FAILED',
  /** The connection closed while an operator action waited for its answer. */
  connectionLost: 'BW_CONNECTION_LOST',
  /** The client is disconnected for good: `disconnect()`, a refused token, or no attempt left. */
  clientClosed: 'BW_CLIENT_CLOSED',
  /** Every reconnection attempt allowed by `reconnect.maxAttempts` failed. */
  reconnectGaveUp: 'BW_RECONNECT_GAVE_UP',
  /** The monitor sent an `error` message that answers no action, or a frame the client cannot read. */
  streamError: 'BW_STREAM_ERROR',
  /** A listener given to `on()` threw; the error is its `cause`. */
  listenerFailed: 'BW_LISTENER_FAILED',
} as const);

export type ClientErrorCode = (typeof clientErrorCodes)[keyof typeof clientErrorCodes];

/** What a `ClientError` may carry besides its code and message. */
export interface ClientErrorDetails {
  /** The protocol's code from the monitor (an `error` message's or a close frame's), e.g. 4003. */
  readonly closeCode?: number;
  /** The operator action the error answers. */
  readonly action?: CircuitActionType;
  /** The service of that action. */
  readonly service?: string;
  /** The option or argument that is wrong (`BW_INVALID_CONFIG`). */
  readonly option?: string;
  readonly cause?: unknown;
}

// Registry-wide symbols, so the guards recognise errors from another copy of
// the package. The first is the brand every Breakwater error carries:
// `isBreakwaterError` from `@breakwater/core` recognises these errors too.
const breakwaterBrand: unique symbol = Symbol.for('breakwater.error') as never;
const clientBrand: unique symbol = Symbol.for('breakwater.client-error') as never;

/**
 * The one error class of `@breakwater/client`: a stable `code` to tell
 * errors apart (never the message), the monitor's `closeCode` when it gave
 * one, and the `action` and `service` for an operator action.
 */
export class ClientError extends Error {
  readonly code: ClientErrorCode;
  readonly closeCode: number | undefined;
  readonly action: CircuitActionType | undefined;
  readonly service: string | undefined;
  readonly option: string | undefined;
  declare readonly [breakwaterBrand]: true;
  declare readonly [clientBrand]: true;

  constructor(code: ClientErrorCode, message: string, details: ClientErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.closeCode = details.closeCode;
    this.action = details.action;
    this.service = details.service;
    this.option = details.option;
  }
}
for (const brand of [breakwaterBrand, clientBrand]) {
  Object.defineProperty(ClientError.prototype, brand, { value: true });
}
Object.defineProperty(ClientError.prototype, 'name', {
  value: 'ClientError',
  writable: true,
  configurable: true,
});

/**
 * True for a `ClientError` from any copy of the package; with `code`, only
 * for that code.
 */
export function isClientError(value: unknown, code?: ClientErrorCode): value is ClientError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [clientBrand]?: unknown })[clientBrand] === true &&
    (code === undefined || (value as ClientError).code === code)
  );
}
