import {
  CircuitBreaker,
  isCircuitOpenError,
  type PresetName,
  presetInfo,
  presets,
} from '@breakwater/core';
import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { callTimes, fail, outcome, succeed } from '../support/calls';

// The DegenDuel fleet's service tables: threshold and reset time per service.
const degenDuelServices: Array<[PresetName, number, number]> = [
  ['market-data', 3, 30_000],
  ['token-sync', 4, 45_000],
  ['token-whitelist', 5, 60_000],
  ['contest-evaluation', 10, 120_000],
  ['achievement', 6, 70_000],
  ['referral', 5, 60_000],
  ['contest-wallet', 8, 90_000],
  ['vanity-wallet', 4, 45_000],
  ['wallet-rake', 8, 90_000],
  ['admin-wallet', 7, 80_000],
  ['faucet', 6, 75_000],
  ['wallet-generator', 5, 60_000],
];

// Every preset whose source describes no backoff, with the open period it names.
const withoutBackoff: Array<[PresetName, number]> = [
  ['trading-default', 30_000],
  ['database', 60_000],
  ['redis', 10_000],
  ['solana-rpc', 30_000],
  ['external-api', 60_000],
  ['exchange-default', 60_000],
  ['conservative', 120_000],
  ['aggressive', 30_000],
  ['testing', 5_000],
  ['developer-portal', 30_000],
  ['payment-database', 10_000],
];

function breakerFrom(name: PresetName) {
  const clock = new FakeClock();
  return { clock, breaker: new CircuitBreaker(name, { ...presets[name], clock }) };
}

/** Opens a closed breaker with consecutive failures. */
async function trip(breaker: CircuitBreaker): Promise<void> {
  await callTimes(breaker, breaker.options.failureThreshold, fail());
  expect(breaker.state).toBe('open');
}

/** Asserts the circuit rejects for exactly `period` ms, then admits a trial. */
async function expectOpenFor(clock: FakeClock, breaker: CircuitBreaker, period: number) {
  expect(breaker.status()).toMatchObject({ state: 'open', recoveryIn: period });
  clock.advance(period - 1);
  expect(isCircuitOpenError(await outcome(breaker.execute(succeed())))).toBe(true);
  clock.advance(1);
  expect(breaker.status().recoveryIn).toBe(0);
}

describe('presets', () => {
  describe("the DegenDuel fleet's services", () => {
    it.each(degenDuelServices)(
      '%s opens after %i failures and first waits %i ms, with the fleet’s recovery config',
      (name, threshold, reset) => {
        expect(presets[name]).toEqual({
          failureThreshold: threshold,
          resetTimeout: reset,
          successThreshold: 1,
          maxRecoveryAttempts: 3,
          backoffMultiplier: 2,
          minHealthyPeriod: 120_000,
          monitoringWindow: 300_000,
        });
        expect(presetInfo[name]).toMatchObject({ source: 'DegenDuel fleet', chosen: [] });
      },
    );

    it('doubles the open period after each failed trial, as the fleet’s recovery asks', async () => {
      const { clock, breaker } = breakerFrom('market-data');
      await trip(breaker);
      await expectOpenFor(clock, breaker, 30_000);
      await callTimes(breaker, 1, fail());
      await expectOpenFor(clock, breaker, 60_000);
      await callTimes(breaker, 1, fail());
      await expectOpenFor(clock, breaker, 120_000);
    });

    it('closes on one successful trial (the state diagram’s HalfOpen → Closed: Success)', async () => {
      const { clock, breaker } = breakerFrom('token-sync');
      await trip(breaker);
      clock.advance(45_000);
      await callTimes(breaker, 1, succeed());
      expect(breaker.state).toBe('closed');
    });
  });

  describe("the trading API's presets", () => {
    it('keep its default configuration', () => {
      expect(presets['trading-default']).toEqual({
        failureThreshold: 5,
        successThreshold: 3,
        resetTimeout: 30_000,
        backoffMultiplier: 1,
        halfOpenMaxCalls: 3,
        slidingWindow: { type: 'time', size: 60_000 },
        minimumCalls: 10,
        failureRateThreshold: 0.5,
        slowCallDuration: 5_000,
        slowCallRateThreshold: 0.5,
      });
    });

    it('change only what each service configuration names', () => {
      const base = presets['trading-default'];
      expect(presets.database).toEqual({
        ...base,
        failureThreshold: 10,
        failureRateThreshold: 0.7,
        resetTimeout: 60_000,
        slowCallDuration: 10_000,
      });
      expect(presets.redis).toEqual({
        ...base,
        failureThreshold: 5,
        resetTimeout: 10_000,
        slowCallDuration: 2_000,
      });
      expect(presets['solana-rpc']).toEqual({
        ...base,
        resetTimeout: 30_000,
        slowCallDuration: 5_000,
      });
      expect(presets['external-api']).toEqual({
        ...base,
        failureThreshold: 3,
        failureRateThreshold: 0.4,
        resetTimeout: 60_000,
        halfOpenMaxCalls: 5,
      });
    });
  });

  describe("the exchange aggregator's presets", () => {
    it.each([
      ['exchange-default', 5, 60_000, 2],
      ['conservative', 5, 120_000, 3],
      ['aggressive', 3, 30_000, 2],
      ['testing', 2, 5_000, 1],
    ] as Array<[PresetName, number, number, number]>)(
      '%s: %i failures, %i ms recovery timeout, %i successes, no backoff',
      (name, failureThreshold, resetTimeout, successThreshold) => {
        expect(presets[name]).toEqual({
          failureThreshold,
          resetTimeout,
          successThreshold,
          backoffMultiplier: 1,
        });
      },
    );
  });

  describe("the payment worker's presets", () => {
    it('developer-portal: 5 failures, 2 successes, 30 s, no backoff', () => {
      expect(presets['developer-portal']).toEqual({
        failureThreshold: 5,
        successThreshold: 2,
        resetTimeout: 30_000,
        backoffMultiplier: 1,
      });
      expect(presetInfo['developer-portal'].chosen).toEqual([]);
    });

    it('payment-database: says which values it had to choose', () => {
      expect(presets['payment-database']).toEqual({
        failureThreshold: 3,
        successThreshold: 2,
        resetTimeout: 10_000,
        backoffMultiplier: 1,
        timeout: 5_000,
      });
      expect(presetInfo['payment-database'].chosen).toEqual([
        'failureThreshold',
        'successThreshold',
        'resetTimeout',
        'timeout',
      ]);
    });
  });

  describe.each(withoutBackoff)('%s (its source describes no backoff)', (name, period) => {
    it(`stays open exactly ${period} ms after a failed trial, again and again`, async () => {
      const { clock, breaker } = breakerFrom(name);
      await trip(breaker);
      await expectOpenFor(clock, breaker, period);
      for (let trial = 0; trial < 3; trial++) {
        await callTimes(breaker, 1, fail());
        expect(breaker.status()).toMatchObject({ failedRecoveries: trial + 1 });
        await expectOpenFor(clock, breaker, period);
      }
    });
  });

  it('documents every preset in words and builds a valid, frozen breaker from each', () => {
    const sources = new Set([
      'DegenDuel fleet',
      'trading API',
      'exchange aggregator',
      'payment worker',
    ]);
    for (const [name, options] of Object.entries(presets)) {
      const info = presetInfo[name as PresetName];
      expect(sources).toContain(info.source);
      expect(info.description.length).toBeGreaterThan(10);
      for (const option of info.chosen) expect(options).toHaveProperty(option);
      expect(() => new CircuitBreaker(name, options)).not.toThrow();
      expect(Object.isFrozen(options)).toBe(true);
    }
  });
});
