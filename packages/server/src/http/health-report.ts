import {
  type RegistryStatus,
  type ServiceHealth,
  type ServiceStatus,
  UnknownServiceError,
} from '@breakwater/core';

/**
 * One breaker's counts as the payment worker's health route reports them.
 * Only counts and times: the route is public, so no error message (which may
 * name internal hosts) is shown; the viewer routes have the full status.
 */
export interface CircuitBreakerStats {
  readonly name: string;
  /** `closed`, `open`, `half-open`, `forced-open` or `disabled`. */
  readonly state: string;
  /** Failures counted toward `failureThreshold`. */
  readonly failures: number;
  /** Consecutive successes; in half-open, the successful trials so far. */
  readonly successes: number;
  /** Last failure, epoch ms, or null. */
  readonly lastFailureTime: number | null;
  readonly totalAttempts: number;
  readonly totalFailures: number;
  readonly totalSuccesses: number;
}

/** The body of `GET /api/health/circuit-breaker`. */
export interface HealthReport {
  /** `degraded` when a service reported is failed or degraded, else `healthy`. */
  readonly status: 'healthy' | 'degraded';
  readonly timestamp: string;
  /** Services by health (the whole fleet; absent when one service was asked for). */
  readonly stats?: {
    readonly total: number;
    readonly healthy: number;
    readonly degraded: number;
    readonly failed: number;
    readonly unknown: number;
  };
  /** The breaker asked for, or the only breaker of a one-breaker registry. */
  readonly circuitBreaker?: CircuitBreakerStats;
}

/**
 * The health route's body: the fleet roll-up, or one service's when
 * `service` is given (404 when it is unknown). A registry of one breaker —
 * a payment worker guarding its one API — also gets that breaker's
 * `circuitBreaker` stats beside the roll-up.
 */
export function healthReport(fleet: RegistryStatus, service?: string): HealthReport {
  const { timestamp, total, healthy, degraded, failed, unknown, services } = fleet;
  if (service !== undefined) {
    const entry = services.find((candidate) => candidate.service === service);
    if (entry === undefined) throw new UnknownServiceError(service);
    return { status: overall([entry.health]), timestamp, circuitBreaker: statsOf(entry) };
  }
  const only = services.length === 1 ? services[0] : undefined;
  return {
    status: overall(services.map((entry) => entry.health)),
    timestamp,
    stats: { total, healthy, degraded, failed, unknown },
    ...(only === undefined ? {} : { circuitBreaker: statsOf(only) }),
  };
}

// `unknown` (no traffic yet) does not degrade: a fresh deploy is not an outage.
function overall(healths: readonly ServiceHealth[]): 'healthy' | 'degraded' {
  return healths.some((health) => health === 'failed' || health === 'degraded')
    ? 'degraded'
    : 'healthy';
}

// The payment worker's field names on the wire, filled from the status' current ones.
function statsOf({ service, breaker }: ServiceStatus): CircuitBreakerStats {
  return {
    name: service,
    state: breaker.state,
    failures: breaker.failureCount,
    successes: breaker.successes,
    lastFailureTime: breaker.lastFailure === null ? null : Date.parse(breaker.lastFailure),
    totalAttempts: breaker.totalAttempts,
    totalFailures: breaker.totalFailures,
    totalSuccesses: breaker.totalSuccesses,
  };
}
