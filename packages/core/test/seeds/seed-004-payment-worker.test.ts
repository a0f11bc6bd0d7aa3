// The payment worker's circuit breaker: its 14 tests, on the Developer Portal
// preset — 5 consecutive failures open it, 2 successes close it, 30 s before
// every trial, with no backoff — driven by a fake clock instead of waiting.
import { CircuitBreaker, isCircuitOpenError, presets } from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { callTimes, fail, outcome, succeed } from '../support/calls';

function developerPortal() {
  const clock = new FakeClock(Date.UTC(2024, 0, 5, 10));
  const breaker = new CircuitBreaker('DeveloperPortal', { ...presets['developer-portal'], clock });
  return { clock, breaker };
}

describe('payment worker: Developer Portal breaker', () => {
  describe('state transitions', () => {
    it('goes CLOSED → OPEN → HALF_OPEN → CLOSED', async () => {
      const { clock, breaker } = developerPortal();
      const states: string[] = [breaker.state];
      breaker.on('stateChange', (event) => states.push(event.to));
      await callTimes(breaker, 5, fail());
      clock.advance(30_000);
      await callTimes(breaker, 2, succeed());
      expect(states).toEqual(['closed', 'open', 'half-open', 'closed']);
    });

    it('goes HALF_OPEN → OPEN when a trial fails', async () => {
      const { clock, breaker } = developerPortal();
      await callTimes(breaker, 5, fail());
      clock.advance(30_000);
      await callTimes(breaker, 1, fail());
      expect(breaker.state).toBe('open');
    });

    it('stays open 30 s after a failed trial, not 60 s', async () => {
      const { clock, breaker } = developerPortal();
      await callTimes(breaker, 5, fail());
      clock.advance(30_000);
      await callTimes(breaker, 1, fail());
      expect(breaker.status()).toMatchObject({ state: 'open', recoveryIn: 30_000 });
      clock.advance(29_999);
      expect(isCircuitOpenError(await outcome(breaker.execute(succeed())))).toBe(true);
      clock.advance(1);
      await callTimes(breaker, 2, succeed());
      expect(breaker.state).toBe('closed');
    });
  });

  describe('failure threshold', () => {
    it('stays closed after 4 consecutive failures', async () => {
      const { breaker } = developerPortal();
      await callTimes(breaker, 4, fail());
      expect(breaker.state).toBe('closed');
    });

    it('opens on the 5th consecutive failure', async () => {
      const { breaker } = developerPortal();
      await callTimes(breaker, 5, fail());
      expect(breaker.state).toBe('open');
    });
  });

  describe('success threshold', () => {
    it('stays half-open after one successful trial', async () => {
      const { clock, breaker } = developerPortal();
      await callTimes(breaker, 5, fail());
      clock.advance(30_000);
      await callTimes(breaker, 1, succeed());
      expect(breaker.state).toBe('half-open');
    });

    it('closes after two successful trials', async () => {
      const { clock, breaker } = developerPortal();
      await callTimes(breaker, 5, fail());
      clock.advance(30_000);
      await callTimes(breaker, 2, succeed());
      expect(breaker.state).toBe('closed');
    });
  });

  describe('timeout-based recovery', () => {
    it('rejects without calling the API for the 30 s open period', async () => {
      const { clock, breaker } = developerPortal();
      await callTimes(breaker, 5, fail());
      clock.advance(29_999);
      let apiCalls = 0;
      const error = await outcome(breaker.execute(async () => ++apiCalls));
      expect(apiCalls).toBe(0);
      expect(isCircuitOpenError(error)).toBe(true);
    });

    it('lets a trial through once 30 s have passed', async () => {
      const { clock, breaker } = developerPortal();
      await callTimes(breaker, 5, fail());
      clock.advance(30_000);
      expect(await breaker.execute(succeed('transaction'))).toBe('transaction');
      expect(breaker.state).toBe('half-open');
    });
  });

  describe('statistics', () => {
    it('reports the worker’s stats shape after an outage', async () => {
      const { breaker } = developerPortal();
      await callTimes(breaker, 145, succeed());
      await callTimes(breaker, 5, fail());
      expect(breaker.status()).toMatchObject({
        state: 'open',
        failureCount: 5,
        successes: 0,
        lastFailure: '2024-01-05T10:00:00.000Z',
        totalAttempts: 150,
        totalFailures: 5,
        totalSuccesses: 145,
      });
    });

    it('counts rejected calls separately from attempts', async () => {
      const { breaker } = developerPortal();
      await callTimes(breaker, 5, fail());
      await callTimes(breaker, 3, succeed());
      expect(breaker.status()).toMatchObject({ totalAttempts: 5, rejected: 3 });
    });
  });

  describe('manual reset', () => {
    it('closes an open circuit and lets calls through at once', async () => {
      const { breaker } = developerPortal();
      await callTimes(breaker, 5, fail());
      breaker.reset();
      expect(breaker.state).toBe('closed');
      expect(await breaker.execute(succeed())).toBe('ok');
      expect(breaker.status().failureCount).toBe(0);
    });
  });

  describe('edge cases', () => {
    it('survives rapid transitions: open, recover, open again within one minute', async () => {
      const { clock, breaker } = developerPortal();
      for (let cycle = 0; cycle < 3; cycle++) {
        await callTimes(breaker, 5, fail());
        expect(breaker.state).toBe('open');
        clock.advance(30_000);
        await callTimes(breaker, 2, succeed());
        expect(breaker.state).toBe('closed');
      }
      expect(breaker.status().transitions).toBe(9);
    });

    it('does not open on partial failures that never reach 5 in a row', async () => {
      const { breaker } = developerPortal();
      for (let round = 0; round < 10; round++) {
        await callTimes(breaker, 4, fail());
        await callTimes(breaker, 1, succeed());
      }
      expect(breaker.state).toBe('closed');
      expect(breaker.status().totalFailures).toBe(40);
    });

    it('lets the payment worker tell a circuit rejection from an API error without reading messages', async () => {
      const { breaker } = developerPortal();
      const retried: string[] = [];
      const released: string[] = [];
      const processPayment = async (reference: string) => {
        try {
          await breaker.execute(fail('Circuit breaker timeout from upstream proxy'));
        } catch (error) {
          // The worker matched `message.includes('Circuit breaker')`: this API error would have fooled it.
          if (isCircuitOpenError(error)) released.push(reference);
          else retried.push(reference);
        }
      };
      for (let index = 0; index < 7; index++) await processPayment(`pay-${index}`);
      expect(retried).toEqual(['pay-0', 'pay-1', 'pay-2', 'pay-3', 'pay-4']);
      expect(released).toEqual(['pay-5', 'pay-6']);
    });
  });
});
