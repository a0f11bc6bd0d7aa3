import { describe, expect, it } from 'vitest';
import { type CircuitPhase, type RegistryStatusLike, toServiceUpdate } from '../src/index';
import { serviceUpdateMessageSchema } from '../src/schema/index';

function status(state: CircuitPhase, extra: Partial<{ recoveryIn: number | null }> = {}) {
  return {
    service: 'market-data',
    health: state === 'open' || state === 'forced-open' ? 'failed' : 'healthy',
    degradedBy: ['price-feed'],
    breaker: {
      state,
      failureCount: 3,
      lastFailure: '2026-01-01T00:00:00.000Z',
      recoveryAttempts: 2,
      recoveryIn: extra.recoveryIn ?? null,
      totalAttempts: 10,
      totalSuccesses: 7,
      totalFailures: 3,
      rejected: 4,
    },
  } as const;
}

const at = '2026-01-01T00:00:05.000Z';

describe('toServiceUpdate', () => {
  it('keeps every field of the protocol with its name and adds the extras beside them', () => {
    const message = toServiceUpdate({ services: [status('open', { recoveryIn: 1500 })] }, at);
    expect(message).toEqual({
      type: 'service:update',
      timestamp: at,
      services: [
        {
          service: 'market-data',
          status: 'failed',
          circuit: {
            state: 'open',
            failureCount: 3,
            lastFailure: '2026-01-01T00:00:00.000Z',
            recoveryAttempts: 2,
            phase: 'open',
            recoveryIn: 1500,
            degradedBy: ['price-feed'],
          },
          operations: { total: 10, successful: 7, failed: 3, rejected: 4 },
        },
      ],
    });
    expect(serviceUpdateMessageSchema.parse(message)).toEqual(message);
  });

  it.each([
    ['closed', 'closed'],
    ['open', 'open'],
    ['forced-open', 'open'],
    ['half-open', 'closed'],
    ['disabled', 'closed'],
  ] as const)('shows phase %s as circuit.state %s and keeps the phase', (phase, state) => {
    const [service] = toServiceUpdate({ services: [status(phase)] }, at).services;
    expect(service?.circuit.state).toBe(state);
    expect(service?.circuit.phase).toBe(phase);
  });

  it('maps an empty fleet to an empty list', () => {
    const empty: RegistryStatusLike = { services: [] };
    expect(toServiceUpdate(empty, at).services).toEqual([]);
  });
});
