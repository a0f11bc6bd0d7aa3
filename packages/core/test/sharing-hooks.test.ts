import {
  CircuitBreaker,
  CircuitOpenError,
  ConfigError,
  MemoryStore,
  Registry,
  type StateChangeEvent,
  type TrialOutcome,
  type TrialPermits,
} from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { callTimes, deferred, fail, outcome, succeed } from './support/calls';

const options = { failureThreshold: 2, resetTimeout: 10_000, successThreshold: 2 };

/** A permit budget the test fills by hand, recording every release. */
class PermitBudget implements TrialPermits {
  available = 0;
  readonly released: TrialOutcome[] = [];
  tryAcquire(): boolean {
    if (this.available === 0) return false;
    this.available--;
    return true;
  }
  release(outcome: TrialOutcome): void {
    this.released.push(outcome);
  }
}

async function openBreaker(permits?: TrialPermits) {
  const clock = new FakeClock(Date.UTC(2026, 5, 1));
  const breaker = new CircuitBreaker('db', {
    ...options,
    halfOpenMaxCalls: 3,
    clock,
    ...(permits ? { trialPermits: permits } : {}),
  });
  await callTimes(breaker, 2, fail());
  expect(breaker.state).toBe('open');
  return { clock, breaker };
}

describe('trialPermits', () => {
  it('admits a half-open trial only with a permit, and rejects as half-open without one', async () => {
    const permits = new PermitBudget();
    const { clock, breaker } = await openBreaker(permits);
    clock.advance(10_000);
    const rejected = await outcome(breaker.execute(succeed()));
    expect(rejected).toBeInstanceOf(CircuitOpenError);
    expect(rejected).toMatchObject({ state: 'half-open', retryAfter: 0 });
    expect(breaker.state).toBe('half-open');

    permits.available = 1;
    expect(await breaker.execute(succeed('trial'))).toBe('trial');
    expect(permits.released).toEqual(['success']);
  });

  it('gives back the permit of every trial: success, failure and ignored', async () => {
    const permits = new PermitBudget();
    const clock = new FakeClock();
    const breaker = new CircuitBreaker('db', {
      ...options,
      halfOpenMaxCalls: 3,
      clock,
      trialPermits: permits,
      ignoredErrors: [RangeError],
    });
    await callTimes(breaker, 2, fail());
    clock.advance(10_000);
    permits.available = 3;
    await outcome(breaker.execute(() => Promise.reject(new RangeError('not counted'))));
    await breaker.execute(succeed());
    await outcome(breaker.execute(fail()));
    expect(permits.released).toEqual(['ignored', 'success', 'failure']);
    expect(breaker.state).toBe('open');
  });

  it('gives a trial permit back even when the state has moved on before the trial ends', async () => {
    const permits = new PermitBudget();
    const { clock, breaker } = await openBreaker(permits);
    clock.advance(10_000);
    permits.available = 1;
    const slow = deferred();
    const trial = breaker.execute(() => slow.promise);
    breaker.reset();
    slow.resolve('late');
    await trial;
    expect(permits.released).toEqual(['success']);
  });

  it('is never asked while closed, so closed calls cost nothing extra', async () => {
    const permits = new PermitBudget();
    const breaker = new CircuitBreaker('db', { trialPermits: permits });
    await callTimes(breaker, 5, succeed());
    expect(permits.released).toEqual([]);
  });

  it('must have tryAcquire and release', () => {
    const bad = { tryAcquire: () => true } as unknown as TrialPermits;
    expect(() => new CircuitBreaker('db', { trialPermits: bad })).toThrow(ConfigError);
    expect(() => new CircuitBreaker('db', { trialPermits: bad })).toThrow(/trialPermits/);
  });
});

describe('adopt', () => {
  it("takes up another instance's open period and recovery counters, keeping its own totals", async () => {
    const clock = new FakeClock(Date.UTC(2026, 5, 1));
    const here = new CircuitBreaker('db', { ...options, clock });
    await callTimes(here, 3, succeed());
    const events: StateChangeEvent[] = [];
    here.on('stateChange', (event) => events.push(event));
    const there = new CircuitBreaker('db', { ...options, clock });
    await callTimes(there, 2, fail());

    here.adopt(there.toRecord(4));
    expect(here.state).toBe('open');
    expect(events).toMatchObject([{ from: 'closed', to: 'open', reason: 'shared' }]);
    expect(here.status()).toMatchObject({ totalAttempts: 3, totalSuccesses: 3 });
    clock.advance(9_999);
    expect(await outcome(here.execute(succeed()))).toMatchObject({ state: 'open', retryAfter: 1 });
  });

  it('moves the end of an open period without a stateChange', async () => {
    const clock = new FakeClock(Date.UTC(2026, 5, 1));
    const breaker = new CircuitBreaker('db', { ...options, clock });
    await callTimes(breaker, 2, fail());
    const events: StateChangeEvent[] = [];
    breaker.on('stateChange', (event) => events.push(event));
    const record = breaker.toRecord(2);
    breaker.adopt({ ...record, openUntil: (record.openUntil ?? 0) + 5_000 });
    clock.advance(10_000);
    expect(await outcome(breaker.execute(succeed()))).toMatchObject({ state: 'open' });
    expect(events).toEqual([]);
  });

  it('rejects a malformed record, changing nothing', () => {
    const breaker = new CircuitBreaker('db');
    const record = { ...breaker.toRecord(1), state: 'ajar' } as unknown as Parameters<
      CircuitBreaker['adopt']
    >[0];
    expect(() => breaker.adopt(record)).toThrow(ConfigError);
    expect(breaker.state).toBe('closed');
  });
});

describe('Registry.open({ shared })', () => {
  it('refuses shared mode on a store that cannot share, naming the option', async () => {
    const refusal = await Registry.open({ store: new MemoryStore(), shared: true }).catch(
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(ConfigError);
    expect(refusal).toMatchObject({ option: 'shared' });
    expect(String((refusal as Error).message)).toMatch(/RedisStore/);
  });

  it('has no sharing status when not shared', async () => {
    const registry = await Registry.open({ store: new MemoryStore() });
    expect(registry.sharingStatus()).toBeUndefined();
    expect(registry.status().sharing).toBeUndefined();
  });
});
