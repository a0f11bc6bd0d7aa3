export { type BreakerRef, breakerSource } from './breaker-ref';
export { FailureStatusError, isFailureStatusError } from './failure-status-error';
export { type GuardHandlers, guardResponse, type ResponseOutcome } from './guard-response';
export {
  isServerErrorStatus,
  type MiddlewareOptions,
  type ResolvedMiddlewareOptions,
  resolveMiddlewareOptions,
} from './middleware-options';
export { type OpenResponse, type OpenResponseBody, openResponse } from './open-response';
