import { CircuitBreaker, presetInfo, presets } from '@breakwater/core';
import { describe, expect, it } from 'vitest';

const seed000: Array<[string, number, number]> = [
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

describe('presets', () => {
  it.each(seed000)(
    '%s has seed 000’s threshold %i, reset %i ms and recovery config',
    (name, threshold, reset) => {
      expect(presets[name as keyof typeof presets]).toEqual({
        failureThreshold: threshold,
        resetTimeout: reset,
        maxRecoveryAttempts: 3,
        backoffMultiplier: 2,
        minHealthyPeriod: 120_000,
        monitoringWindow: 300_000,
      });
    },
  );

  it('has seed 001’s breakers on its default configuration', () => {
    expect(presets['trading-default']).toMatchObject({
      failureThreshold: 5,
      successThreshold: 3,
      halfOpenMaxCalls: 3,
      failureRateThreshold: 0.5,
    });
    expect(presets.database).toMatchObject({
      failureThreshold: 10,
      failureRateThreshold: 0.7,
      resetTimeout: 60_000,
      slowCallDuration: 10_000,
    });
    expect(presets.redis).toMatchObject({
      failureThreshold: 5,
      resetTimeout: 10_000,
      slowCallDuration: 2_000,
    });
    expect(presets['solana-rpc']).toMatchObject({ resetTimeout: 30_000, slowCallDuration: 5_000 });
    expect(presets['external-api']).toMatchObject({
      failureThreshold: 3,
      failureRateThreshold: 0.4,
      resetTimeout: 60_000,
      halfOpenMaxCalls: 5,
    });
  });

  it('has seed 003’s conservative, aggressive and testing configurations and seed 004’s factories', () => {
    expect(presets.conservative).toEqual({
      failureThreshold: 5,
      resetTimeout: 120_000,
      successThreshold: 3,
    });
    expect(presets.aggressive).toEqual({
      failureThreshold: 3,
      resetTimeout: 30_000,
      successThreshold: 2,
    });
    expect(presets.testing).toEqual({
      failureThreshold: 2,
      resetTimeout: 5_000,
      successThreshold: 1,
    });
    expect(presets['developer-portal']).toEqual({
      failureThreshold: 5,
      successThreshold: 2,
      resetTimeout: 30_000,
    });
    expect(presets['payment-database']).toBeDefined();
  });

  it('documents every preset and builds a valid breaker from each', () => {
    for (const [name, options] of Object.entries(presets)) {
      expect(presetInfo[name as keyof typeof presetInfo].description.length).toBeGreaterThan(10);
      expect(() => new CircuitBreaker(name, options)).not.toThrow();
      expect(Object.isFrozen(options)).toBe(true);
    }
  });
});
