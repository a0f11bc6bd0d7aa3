// `@breakwater/client`: a live view of a Breakwater monitor over its v2
// WebSocket stream, for browsers and Node. Depends only on the protocol's
// dependency-free main entry, so a browser bundle carries no validation library.

export type {
  CircuitActionReply,
  CircuitActionType,
  ServiceSnapshot,
  ServiceUpdateMessage,
} from '@breakwater/protocol';
export type { ReconnectOptions } from './backoff';
export { CircuitBreakerMonitor } from './circuit-breaker-monitor';
export {
  ClientError,
  type ClientErrorCode,
  type ClientErrorDetails,
  clientErrorCodes,
  isClientError,
} from './client-error';
export type {
  ConnectionStatus,
  MonitorEventName,
  MonitorEvents,
  ReconnectAttempt,
} from './monitor-events';
export type { CircuitBreakerMonitorOptions } from './monitor-options';
export type { TimerClock, WebSocketConstructor, WebSocketLike } from './websocket-like';
