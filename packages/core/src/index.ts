export type {
  BreakerEvent,
  BreakerEvents,
  FailureEvent,
  ListenerErrorEvent,
  RecoveryExhaustedEvent,
  RejectedEvent,
  StateChangeEvent,
  SuccessEvent,
  TimeoutEvent,
} from './breaker/breaker-events';
export type {
  CircuitBreakerOptions,
  ErrorClass,
  ResolvedOptions,
  SlidingWindowOptions,
} from './breaker/breaker-options';
export { defaultOptions } from './breaker/breaker-options';
export type { BreakerRecord, BreakerTotals } from './breaker/breaker-record';
export type { BreakerStatus } from './breaker/breaker-status';
export {
  CircuitBreaker,
  type ExecuteOptions,
  type Operation,
} from './breaker/circuit-breaker';
export type { StateName, TransitionReason, TripReason } from './breaker/circuit-state';
export { stateNames } from './breaker/circuit-state';
export { type Clock, systemClock, type TimerHandle } from './clock/clock';
export { BreakwaterError, isBreakwaterError } from './errors/breakwater-error';
export { BulkheadFullError, isBulkheadFullError } from './errors/bulkhead-full-error';
export { CallTimeoutError, isCallTimeoutError } from './errors/call-timeout-error';
export {
  CircuitOpenError,
  isCircuitOpenError,
  type RejectingState,
} from './errors/circuit-open-error';
export { ConfigError, isConfigError } from './errors/config-error';
export { type ErrorCode, errorCodes } from './errors/error-codes';
export { isRateLimitedError, RateLimitedError } from './errors/rate-limited-error';
export type { Unsubscribe } from './events/emitter';
export type { LatencyPercentiles } from './window/latency-histogram';
