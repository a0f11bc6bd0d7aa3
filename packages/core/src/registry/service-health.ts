import type { BreakerStatus } from '../breaker/breaker-status';

/** A service's health as a monitor shows it (the v2 monitoring protocol's health values). */
export type ServiceHealth = 'healthy' | 'degraded' | 'failed' | 'unknown';

export interface HealthInput {
  readonly breaker: BreakerStatus;
  /** Health of each direct dependency, already computed. */
  readonly dependencies: ReadonlyArray<{ readonly name: string; readonly health: ServiceHealth }>;
  /** Whether the breaker's counts changed recently enough to trust them. */
  readonly fresh: boolean;
}

export interface HealthVerdict {
  readonly health: ServiceHealth;
  /** Direct dependencies that are failed or degraded. */
  readonly degradedBy: readonly string[];
}

/**
 * The roll-up: failed = open or forced open; degraded = half-open,
 * a failed or degraded dependency (even with no calls of its own: degraded
 * wins over unknown), or recent failures; unknown = no calls yet or no fresh
 * data; healthy otherwise.
 */
export function assessHealth({ breaker, dependencies, fresh }: HealthInput): HealthVerdict {
  const degradedBy = dependencies
    .filter((dependency) => dependency.health === 'failed' || dependency.health === 'degraded')
    .map((dependency) => dependency.name);
  if (breaker.state === 'open' || breaker.state === 'forced-open')
    return { health: 'failed', degradedBy };
  if (breaker.state === 'half-open' || degradedBy.length > 0)
    return { health: 'degraded', degradedBy };
  const neverCalled = breaker.totalAttempts === 0 && breaker.rejected === 0;
  if (neverCalled || !fresh) return { health: 'unknown', degradedBy };
  if (breaker.failureCount > 0 || breaker.failureRate > 0)
    return { health: 'degraded', degradedBy };
  return { health: 'healthy', degradedBy };
}
