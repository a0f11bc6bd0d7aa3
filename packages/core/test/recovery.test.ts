import {
  CircuitBreaker,
  type CircuitBreakerOptions,
  isCircuitOpenError,
  type RecoveryExhaustedEvent,
  type StateChangeEvent,
} from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it, vi } from 'vitest';
import { callTimes, deferred, fail, flush, outcome, succeed } from './support/calls';

function setup(options: CircuitBreakerOptions = {}) {
  const clock = new FakeClock();
  const breaker = new CircuitBreaker('svc', {
    failureThreshold: 2,
    resetTimeout: 1_000,
    successThreshold: 2,
    clock,
    ...options,
  });
  const transitions: StateChangeEvent[] = [];
  breaker.on('stateChange', (event) => transitions.push(event));
  return { clock, breaker, transitions };
}

async function trip(breaker: CircuitBreaker): Promise<void> {
  await callTimes(breaker, breaker.options.failureThreshold, fail());
  expect(breaker.state).toBe('open');
}

describe('open to half-open', () => {
  it('rejects fast until resetTimeout has elapsed, without calling the function', async () => {
    const { clock, breaker } = setup();
    await trip(breaker);
    clock.advance(999);
    const operation = vi.fn(succeed());
    const error = await outcome(breaker.execute(operation));
    expect(operation).not.toHaveBeenCalled();
    expect(isCircuitOpenError(error) && error.retryAfter).toBe(1);
  });

  it('turns half-open lazily on the first call after resetTimeout, with no timer', async () => {
    const { clock, breaker, transitions } = setup();
    await trip(breaker);
    expect(clock.pendingTimers).toBe(0);
    clock.advance(1_000);
    expect(breaker.state).toBe('open');
    expect(breaker.status()).toMatchObject({ state: 'open', recoveryIn: 0 });
    await breaker.execute(succeed());
    expect(transitions.map((event) => `${event.from}>${event.to}:${event.reason}`)).toEqual([
      'closed>open:consecutive-failures',
      'open>half-open:reset-timeout-elapsed',
    ]);
  });

  it('creates no timer or handle for 10,000 breakers, open or closed', async () => {
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const setIntervalSpy = vi.spyOn(globalThis, 'setInterval');
    try {
      const breakers = Array.from(
        { length: 10_000 },
        (_, index) => new CircuitBreaker(`svc-${index}`, { failureThreshold: 1 }),
      );
      for (const breaker of breakers) await outcome(breaker.execute(fail()));
      for (const breaker of breakers) await outcome(breaker.execute(succeed()));
      expect(breakers.every((breaker) => breaker.state === 'open')).toBe(true);
      expect(setTimeoutSpy).not.toHaveBeenCalled();
      expect(setIntervalSpy).not.toHaveBeenCalled();
    } finally {
      setTimeoutSpy.mockRestore();
      setIntervalSpy.mockRestore();
    }
  });
});

describe('half-open', () => {
  it('admits at most halfOpenMaxCalls trial calls at once and rejects the rest fast', async () => {
    const { clock, breaker } = setup({ halfOpenMaxCalls: 2, successThreshold: 3 });
    await trip(breaker);
    clock.advance(1_000);
    const first = deferred();
    const second = deferred();
    const running = [breaker.execute(() => first.promise), breaker.execute(() => second.promise)];
    const third = await outcome(breaker.execute(succeed()));
    expect(isCircuitOpenError(third) && [third.state, third.retryAfter]).toEqual(['half-open', 0]);
    expect(breaker.status().halfOpenInFlight).toBe(2);
    first.resolve('ok');
    await running[0];
    expect(await breaker.execute(succeed())).toBe('ok'); // a permit was freed
    second.resolve('ok');
    await running[1];
    expect(breaker.state).toBe('closed');
  });

  it('closes after successThreshold successful trials', async () => {
    const { clock, breaker, transitions } = setup({ successThreshold: 3 });
    await trip(breaker);
    clock.advance(1_000);
    await callTimes(breaker, 2, succeed());
    expect(breaker.state).toBe('half-open');
    expect(breaker.status().successes).toBe(2);
    await callTimes(breaker, 1, succeed());
    expect(breaker.state).toBe('closed');
    expect(transitions.at(-1)).toMatchObject({
      from: 'half-open',
      to: 'closed',
      reason: 'half-open-success',
    });
  });

  it('reopens on the first failure in half-open', async () => {
    const { clock, breaker, transitions } = setup({ successThreshold: 3, backoffMultiplier: 1 });
    await trip(breaker);
    clock.advance(1_000);
    await callTimes(breaker, 2, succeed());
    await callTimes(breaker, 1, fail());
    expect(breaker.state).toBe('open');
    expect(transitions.at(-1)).toMatchObject({
      from: 'half-open',
      to: 'open',
      reason: 'half-open-failure',
    });
    expect(breaker.status().recoveryIn).toBe(1_000);
  });

  it('ignores the completion of a call that started before the circuit opened', async () => {
    const { clock, breaker } = setup({ successThreshold: 1 });
    const slow = deferred();
    const late = breaker.execute(() => slow.promise);
    await trip(breaker);
    clock.advance(1_000);
    const trial = deferred();
    const trialCall = breaker.execute(() => trial.promise);
    slow.resolve('late'); // started while closed: must not count as a trial success
    await late;
    expect(breaker.state).toBe('half-open');
    expect(breaker.status().totalSuccesses).toBe(1);
    trial.resolve('ok');
    await trialCall;
    expect(breaker.state).toBe('closed');
  });
});

describe('backoff', () => {
  it('multiplies the open period by backoffMultiplier per failed recovery, up to maxResetTimeout', async () => {
    const { clock, breaker } = setup({ backoffMultiplier: 2, maxResetTimeout: 5_000 });
    await trip(breaker);
    const periods: number[] = [breaker.status().recoveryIn ?? -1];
    for (let attempt = 0; attempt < 4; attempt++) {
      clock.advance(breaker.status().recoveryIn ?? 0);
      await callTimes(breaker, 1, fail());
      periods.push(breaker.status().recoveryIn ?? -1);
    }
    expect(periods).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
    expect(breaker.status()).toMatchObject({
      recoveryAttempts: 4,
      failedRecoveries: 4,
      currentResetTimeout: 5_000,
    });
  });

  it('counts recovery attempts and stamps the last one', async () => {
    const { clock, breaker } = setup();
    await trip(breaker);
    clock.advance(1_000);
    await callTimes(breaker, 1, fail());
    expect(breaker.status()).toMatchObject({
      recoveryAttempts: 1,
      lastRecoveryAttempt: new Date(clock.now()).toISOString(),
    });
  });

  it('fires recoveryExhausted once after maxRecoveryAttempts failed recoveries and keeps probing', async () => {
    const { clock, breaker } = setup({
      maxRecoveryAttempts: 2,
      backoffMultiplier: 2,
      maxResetTimeout: 3_000,
    });
    const alerts: RecoveryExhaustedEvent[] = [];
    breaker.on('recoveryExhausted', (event) => alerts.push(event));
    await trip(breaker);
    for (let attempt = 0; attempt < 4; attempt++) {
      clock.advance(breaker.status().recoveryIn ?? 0);
      await callTimes(breaker, 1, fail());
    }
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      breaker: 'svc',
      failedRecoveries: 2,
      nextResetTimeout: 3_000,
    });
    clock.advance(3_000);
    await callTimes(breaker, 2, succeed());
    expect(breaker.state).toBe('closed');
  });

  it('keeps backing off when a recovered circuit fails again within minHealthyPeriod', async () => {
    const { clock, breaker } = setup({ minHealthyPeriod: 60_000, backoffMultiplier: 2 });
    await trip(breaker);
    clock.advance(1_000);
    await callTimes(breaker, 1, fail()); // failed recovery: next period 2 s
    clock.advance(2_000);
    await callTimes(breaker, 2, succeed());
    expect(breaker.state).toBe('closed');
    clock.advance(30_000);
    await trip(breaker);
    expect(breaker.status()).toMatchObject({
      recoveryIn: 2_000,
      recoveryAttempts: 2,
      failedRecoveries: 1,
    });
  });

  it('forgets attempts and backoff once closed for minHealthyPeriod', async () => {
    const { clock, breaker } = setup({ minHealthyPeriod: 60_000, backoffMultiplier: 2 });
    await trip(breaker);
    clock.advance(1_000);
    await callTimes(breaker, 1, fail());
    clock.advance(2_000);
    await callTimes(breaker, 2, succeed());
    clock.advance(59_999);
    expect(breaker.status().recoveryAttempts).toBe(2);
    clock.advance(1);
    expect(breaker.status()).toMatchObject({ recoveryAttempts: 0, failedRecoveries: 0 });
    await trip(breaker);
    expect(breaker.status().recoveryIn).toBe(1_000);
  });

  it('reports the recovery success rate over finished recoveries', async () => {
    const { clock, breaker } = setup({ backoffMultiplier: 1 });
    expect(breaker.status().recoverySuccessRate).toBeNull();
    await trip(breaker);
    clock.advance(1_000);
    await callTimes(breaker, 1, fail());
    clock.advance(1_000);
    await callTimes(breaker, 2, succeed());
    await flush();
    expect(breaker.status().recoverySuccessRate).toBe(0.5);
  });
});
