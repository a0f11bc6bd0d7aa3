import type { ServiceSnapshot } from '@breakwater/protocol';

type Overrides = Partial<Omit<ServiceSnapshot, 'circuit' | 'operations'>> & {
  circuit?: Partial<ServiceSnapshot['circuit']>;
  operations?: Partial<ServiceSnapshot['operations']>;
};

/** A healthy, closed service with no traffic, changed by `overrides`. */
export function snapshot(service: string, overrides: Overrides = {}): ServiceSnapshot {
  return {
    service,
    status: overrides.status ?? 'healthy',
    circuit: {
      state: 'closed',
      failureCount: 0,
      lastFailure: null,
      recoveryAttempts: 0,
      phase: 'closed',
      recoveryIn: null,
      degradedBy: [],
      ...overrides.circuit,
    },
    operations: { total: 0, successful: 0, failed: 0, rejected: 0, ...overrides.operations },
  };
}
