export {
  type AdaptiveOptions,
  defaultAdaptiveOptions,
  type ResolvedAdaptiveOptions,
} from './breaker/adaptive-options';
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
export type { TrialOutcome, TrialPermits } from './breaker/trial-permits';
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
export {
  type DefinedErrorClass,
  defineError,
  type ErrorDetails,
  type ErrorFields,
} from './errors/define-error';
export { type ErrorCode, errorCodes } from './errors/error-codes';
export { excerpt, excerptLength, showValue } from './errors/excerpt';
export { isRateLimitedError, RateLimitedError } from './errors/rate-limited-error';
export { isRegistryClosedError, RegistryClosedError } from './errors/registry-closed-error';
export { isStoreClosedError, StoreClosedError } from './errors/store-closed-error';
export {
  isStoreUnavailableError,
  StoreUnavailableError,
} from './errors/store-unavailable-error';
export { isUnknownServiceError, UnknownServiceError } from './errors/unknown-service-error';
export type { Unsubscribe } from './events/emitter';
export { maxDuration, maxMultiplier } from './options/option-checks';
export * from './policies';
export {
  type BreakerSharing,
  type InstanceReport,
  isSharingStore,
  type SharedRegistry,
  type SharingStore,
} from './registry/breaker-sharing';
export { DependencyGraph } from './registry/dependency-graph';
export type { RegistryStatus, ServiceStatus } from './registry/health-rollup';
export { type Change, systemActor } from './registry/manual-control';
export {
  checkPersistableOptions,
  type PersistableOptionName,
  type PersistableOptions,
  persistableOptionNames,
  persistableView,
} from './registry/persistable-options';
export {
  isPresetName,
  type PresetInfo,
  type PresetName,
  presetInfo,
  presets,
} from './registry/presets';
export { type OpenRegistryOptions, Registry, type RegistryOptions } from './registry/registry';
export type {
  ConfigChangeEvent,
  ManualActionEvent,
  RegistryEvents,
  ServiceEvent,
  SharingChangeEvent,
  StoreErrorEvent,
} from './registry/registry-events';
export {
  checkServiceName,
  type ResolvedService,
  resolveService,
  type ServiceConfig,
  type ServicesConfig,
} from './registry/service-config';
export type { ServiceHealth } from './registry/service-health';
export type { SharingStatus } from './registry/sharing-status';
export { auditQueryLimit } from './store/audit-query-limit';
export {
  type AuditRetention,
  auditAgeCutoff,
  defaultAuditRetention,
  type ResolvedAuditRetention,
  resolveAuditRetention,
} from './store/audit-retention';
export { MemoryStore, type MemoryStoreOptions, matchesQuery } from './store/memory-store';
export type {
  Actor,
  AuditAction,
  AuditEntry,
  AuditQuery,
  NewAuditEntry,
  StateStore,
} from './store/state-store';
export { auditQueryLimits } from './store/state-store';
export type { LatencyDistribution, LatencyPercentiles } from './window/latency-histogram';
