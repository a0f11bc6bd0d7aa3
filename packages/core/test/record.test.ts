import {
  type BreakerRecord,
  CircuitBreaker,
  ConfigError,
  type StateChangeEvent,
} from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { callTimes, fail, succeed } from './support/calls';

const options = { failureThreshold: 2, resetTimeout: 10_000, successThreshold: 1 };

describe('toRecord and restore', () => {
  it('records the state with its open period on the wall clock, the recovery counters and totals', async () => {
    const clock = new FakeClock(Date.UTC(2026, 5, 1));
    const breaker = new CircuitBreaker('db', { ...options, clock });
    await callTimes(breaker, 3, succeed());
    await callTimes(breaker, 2, fail());
    clock.advance(10_000);
    await callTimes(breaker, 1, fail());
    clock.advance(5_000);
    await callTimes(breaker, 1, succeed());
    const record = breaker.toRecord(7);
    expect(record).toEqual({
      name: 'db',
      version: 7,
      state: 'open',
      stateSince: Date.UTC(2026, 5, 1) + 10_000,
      openUntil: Date.UTC(2026, 5, 1) + 10_000 + 20_000,
      recoveryAttempts: 1,
      failedRecoveries: 1,
      lastRecoveryAttempt: Date.UTC(2026, 5, 1) + 10_000,
      lastFailureTime: Date.UTC(2026, 5, 1) + 10_000,
      totals: { attempts: 6, successes: 3, failures: 3, ignored: 0, rejected: 1, timeouts: 0 },
    });
    expect(JSON.parse(JSON.stringify(record))).toEqual(record);
  });

  it('keeps an open circuit open for the rest of its period after a restart', async () => {
    const clock = new FakeClock(Date.UTC(2026, 5, 1));
    const before = new CircuitBreaker('db', { ...options, clock });
    await callTimes(before, 2, fail());
    clock.advance(4_000);
    const record = before.toRecord();

    clock.advance(1_000); // the restart takes a second
    const after = new CircuitBreaker('db', { ...options, clock });
    const transitions: StateChangeEvent[] = [];
    after.on('stateChange', (event) => transitions.push(event));
    after.restore(record);
    expect(after.status()).toMatchObject({
      state: 'open',
      recoveryIn: 5_000,
      totalFailures: 2,
      timeInCurrentState: 5_000,
    });
    expect(transitions).toMatchObject([{ from: 'closed', to: 'open', reason: 'restored' }]);
    clock.advance(4_999);
    await callTimes(after, 1, succeed());
    expect(after.status().rejected).toBe(1);
    clock.advance(1);
    await callTimes(after, 1, succeed());
    expect(after.state).toBe('closed');
  });

  it('lets the first call after restart be a trial when the period ended while down', async () => {
    const clock = new FakeClock();
    const before = new CircuitBreaker('db', { ...options, clock });
    await callTimes(before, 2, fail());
    const record = before.toRecord();
    clock.advance(60_000);
    const after = new CircuitBreaker('db', { ...options, clock });
    after.restore(record);
    expect(after.status().recoveryIn).toBe(0);
    await callTimes(after, 1, succeed());
    expect(after.state).toBe('closed');
  });

  it('brings a half-open circuit back half-open with no trial in flight, and manual states as they were', () => {
    const clock = new FakeClock();
    const source = new CircuitBreaker('db', { ...options, clock });
    source.forceOpen();
    const target = new CircuitBreaker('db', { ...options, clock });
    target.restore(source.toRecord());
    expect(target.state).toBe('forced-open');
    const halfOpen: BreakerRecord = { ...source.toRecord(), state: 'half-open', openUntil: null };
    target.restore(halfOpen);
    expect(target.status()).toMatchObject({ state: 'half-open', halfOpenInFlight: 0 });
  });

  it('refuses a malformed record, naming the field, and changes nothing', () => {
    const breaker = new CircuitBreaker('db', options);
    const good = breaker.toRecord();
    const bad = [
      [{ ...good, state: 'ajar' }, 'record.state'],
      [{ ...good, state: 'open', openUntil: null }, 'record.openUntil'],
      [{ ...good, recoveryAttempts: -1 }, 'record.recoveryAttempts'],
      [{ ...good, totals: { ...good.totals, failures: 'many' } }, 'record.totals.failures'],
      [{ ...good, lastFailureTime: '2026-01-01' }, 'record.lastFailureTime'],
    ] as const;
    for (const [record, field] of bad) {
      let thrown: unknown;
      try {
        breaker.restore(record as unknown as BreakerRecord);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ConfigError);
      expect((thrown as ConfigError).option).toBe(field);
    }
    expect(breaker.status().state).toBe('closed');
  });
});
