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

  it('fires recoveryExhausted only for maxRecoveryAttempts failed trials in a row', async () => {
    const { clock, breaker } = setup({ maxRecoveryAttempts: 2, minHealthyPeriod: 60_000 });
    const alerts: RecoveryExhaustedEvent[] = [];
    breaker.on('recoveryExhausted', (event) => alerts.push(event));
    await trip(breaker);
    clock.advance(breaker.status().recoveryIn ?? 0);
    await callTimes(breaker, 1, fail()); // failed trial 1
    clock.advance(breaker.status().recoveryIn ?? 0);
    await callTimes(breaker, 2, succeed()); // recovered: the run of failures ends
    expect(breaker.state).toBe('closed');
    await trip(breaker);
    clock.advance(breaker.status().recoveryIn ?? 0);
    await callTimes(breaker, 1, fail()); // failed trial 1 of a new run (backoff step 2)
    expect(breaker.status().failedRecoveries).toBe(2);
    expect(alerts).toHaveLength(0);
    clock.advance(breaker.status().recoveryIn ?? 0);
    await callTimes(breaker, 1, fail()); // failed trial 2 in a row
    expect(alerts).toHaveLength(1);
    // The backoff step counts the run before the recovery too; the run itself is 2 long.
    expect(alerts[0]).toMatchObject({ failedRecoveries: 3, failedInARow: 2 });
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

describe('trialTimeout', () => {
  async function toHalfOpen(clock: FakeClock, breaker: CircuitBreaker): Promise<void> {
    await trip(breaker);
    clock.advance(breaker.status().recoveryIn ?? 0);
  }

  it('gives up a hung trial at trialTimeout: a failed trial, reopened with backoff', async () => {
    const { clock, breaker, transitions } = setup({ trialTimeout: 5_000, backoffMultiplier: 2 });
    await toHalfOpen(clock, breaker);
    const hung = deferred();
    const trial = breaker.execute(() => hung.promise);
    expect(breaker.state).toBe('half-open');
    clock.advance(4_999);
    expect(breaker.status().state).toBe('half-open');
    const waiting = await outcome(breaker.execute(succeed()));
    expect(isCircuitOpenError(waiting) && waiting.state).toBe('half-open');
    clock.advance(1);
    const rejected = await outcome(breaker.execute(succeed()));
    expect(isCircuitOpenError(rejected) && rejected).toMatchObject({
      state: 'open',
      retryAfter: 2_000,
    });
    expect(transitions.at(-1)).toMatchObject({
      from: 'half-open',
      to: 'open',
      reason: 'trial-timeout',
    });
    expect(breaker.status()).toMatchObject({
      failedRecoveries: 1,
      totalFailures: 3,
      lastError: { name: 'CallTimeoutError' },
    });
    hung.resolve('late');
    expect(await trial).toBe('late'); // the caller still gets its value
    expect(breaker.status()).toMatchObject({ state: 'open', totalSuccesses: 0, totalFailures: 3 });
  });

  it('is checked when the status is read, with no call arriving', async () => {
    const { clock, breaker, transitions } = setup({ trialTimeout: 5_000 });
    await toHalfOpen(clock, breaker);
    void breaker.execute(() => new Promise(() => {}));
    clock.advance(5_000);
    expect(breaker.status()).toMatchObject({ state: 'open', halfOpenInFlight: 0 });
    expect(transitions.at(-1)?.reason).toBe('trial-timeout');
  });

  it('ignores a late failure too: the next trial decides', async () => {
    const { clock, breaker } = setup({ trialTimeout: 5_000, backoffMultiplier: 1 });
    await toHalfOpen(clock, breaker);
    const hung = deferred();
    const trial = outcome(breaker.execute(() => hung.promise));
    clock.advance(5_000);
    expect(breaker.status().state).toBe('open');
    clock.advance(1_000);
    await callTimes(breaker, 1, succeed()); // a new trial, half-open again
    hung.reject(new Error('late'));
    await trial;
    expect(breaker.status()).toMatchObject({
      state: 'half-open',
      successes: 1,
      failedRecoveries: 1,
    });
    await callTimes(breaker, 1, succeed());
    expect(breaker.state).toBe('closed');
  });

  it('releases a trial permit once, at the deadline, not again when the trial ends', async () => {
    const released: string[] = [];
    const permits = {
      tryAcquire: () => true,
      release: (outcome: string) => released.push(outcome),
    };
    const { clock, breaker } = setup({ trialTimeout: 5_000, trialPermits: permits });
    await toHalfOpen(clock, breaker);
    const hung = deferred();
    const trial = breaker.execute(() => hung.promise);
    clock.advance(5_000);
    breaker.status();
    hung.resolve('late');
    await trial;
    expect(released).toEqual(['failure']);
  });

  it('defaults to 60 s, and never below the call timeout', () => {
    expect(new CircuitBreaker('a').options.trialTimeout).toBe(60_000);
    expect(new CircuitBreaker('b', { timeout: 90_000 }).options.trialTimeout).toBe(90_000);
    expect(() => new CircuitBreaker('c', { timeout: 10_000, trialTimeout: 5_000 })).toThrow(
      /trialTimeout.*5000.*from 10000 to 2147483647/,
    );
  });

  it("waits at least a trial's own per-call timeout", async () => {
    const { clock, breaker } = setup({ trialTimeout: 5_000 });
    await toHalfOpen(clock, breaker);
    const trial = outcome(breaker.execute(() => new Promise(() => {}), { timeout: 8_000 }));
    clock.advance(5_000);
    expect(breaker.status().state).toBe('half-open');
    clock.advance(3_000); // the call's own timeout fires first and fails the trial
    expect(await trial).toMatchObject({ name: 'CallTimeoutError', timeout: 8_000 });
    expect(breaker.status()).toMatchObject({ state: 'open', failedRecoveries: 1 });
  });
});
