import type { CircuitPhase, ServiceStatusName, ServiceUpdateMessage } from './server-messages';

/**
 * The part of a registry status the wire needs. Declared here, not imported,
 * so the protocol depends on nothing of ours; `Registry.status()` fits it.
 */
export interface RegistryStatusLike {
  readonly services: ReadonlyArray<{
    readonly service: string;
    readonly health: ServiceStatusName;
    readonly degradedBy: readonly string[];
    readonly breaker: {
      readonly state: CircuitPhase;
      readonly failureCount: number;
      readonly lastFailure: string | null;
      readonly recoveryAttempts: number;
      readonly recoveryIn: number | null;
      readonly totalAttempts: number;
      readonly totalSuccesses: number;
      readonly totalFailures: number;
      readonly rejected: number;
    };
  }>;
}

/** The protocol has two circuit states: `open` while calls are rejected, `closed` otherwise. */
export function protocolCircuitState(phase: CircuitPhase): 'open' | 'closed' {
  switch (phase) {
    case 'open':
    case 'forced-open':
      return 'open';
    case 'closed':
    case 'half-open':
    case 'disabled':
      return 'closed';
  }
}

/** Maps a registry status to a `service:update` (every service, in registry order). */
export function toServiceUpdate(
  status: RegistryStatusLike,
  timestamp: string,
): ServiceUpdateMessage {
  return {
    type: 'service:update',
    timestamp,
    services: status.services.map(({ service, health, degradedBy, breaker }) => ({
      service,
      status: health,
      circuit: {
        state: protocolCircuitState(breaker.state),
        failureCount: breaker.failureCount,
        lastFailure: breaker.lastFailure,
        recoveryAttempts: breaker.recoveryAttempts,
        phase: breaker.state,
        recoveryIn: breaker.recoveryIn,
        degradedBy: [...degradedBy],
      },
      operations: {
        total: breaker.totalAttempts,
        successful: breaker.totalSuccesses,
        failed: breaker.totalFailures,
        rejected: breaker.rejected,
      },
    })),
  };
}
