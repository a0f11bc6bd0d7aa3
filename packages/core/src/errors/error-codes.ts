/**
 * Every stable error code Breakwater throws. `docs/errors.md` documents each
 * one, and a test keeps that page and this list in step.
 */
export const errorCodes = Object.freeze({
  circuitOpen: 'BW_CIRCUIT_OPEN',
  callTimeout: 'BW_CALL_TIMEOUT',
  invalidConfig: 'BW_INVALID_CONFIG',
  invalidConfigFile: 'BW_INVALID_CONFIG_FILE',
  storeUnreadable: 'BW_STORE_UNREADABLE',
  bulkheadFull: 'BW_BULKHEAD_FULL',
  rateLimited: 'BW_RATE_LIMITED',
  unknownService: 'BW_UNKNOWN_SERVICE',
  registryClosed: 'BW_REGISTRY_CLOSED',
  storeClosed: 'BW_STORE_CLOSED',
  storeUnavailable: 'BW_STORE_UNAVAILABLE',
  invalidStoredValue: 'BW_INVALID_STORED_VALUE',
  tokenRefused: 'BW_TOKEN_REFUSED',
  authSetupFailed: 'BW_AUTH_SETUP_FAILED',
  httpError: 'BW_HTTP_ERROR',
  monitorStartFailed: 'BW_MONITOR_START_FAILED',
  failureStatus: 'BW_FAILURE_STATUS',
  invalidUsage: 'BW_INVALID_USAGE',
  // @breakwater/client (which does not depend on this package: it repeats
  // them, and its tests check they are the same).
  actionForbidden: 'BW_ACTION_FORBIDDEN',
  actionFailed: 'BW_ACTION_FAILED',
  connectionLost: 'BW_CONNECTION_LOST',
  clientClosed: 'BW_CLIENT_CLOSED',
  reconnectGaveUp: 'BW_RECONNECT_GAVE_UP',
  streamError: 'BW_STREAM_ERROR',
  listenerFailed: 'BW_LISTENER_FAILED',
} as const);

export type ErrorCode = (typeof errorCodes)[keyof typeof errorCodes];
