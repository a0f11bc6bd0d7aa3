import type { CircuitBreakerOptions, Clock } from '@breakwater/core';

/** One DegenDuel service from seed 000, with its breaker settings at real scale. */
export interface ServiceSpec {
  /** Kebab-case service name, also the breaker's name. */
  readonly name: string;
  /** Seed 000's layer. */
  readonly layer: 'data' | 'contest' | 'wallet' | 'infrastructure';
  /** Failures that open the circuit (seed 000's "Threshold"). */
  readonly failureThreshold: number;
  /** Open period before the first trial call, real ms (seed 000's "Reset (ms)"). */
  readonly resetTimeout: number;
  /** Services this one calls: an outage upstream reaches this one. */
  readonly dependsOn: readonly string[];
}

/**
 * Six services of seed 000 and the edges of its dependency graph between
 * them: token-sync → market-data → contest-evaluation → contest-wallet, and
 * wallet-generator → vanity-wallet → contest-wallet.
 */
export const catalogue: readonly ServiceSpec[] = Object.freeze([
  {
    name: 'market-data',
    layer: 'data',
    failureThreshold: 3,
    resetTimeout: 30_000,
    dependsOn: ['token-sync'],
  },
  { name: 'token-sync', layer: 'data', failureThreshold: 4, resetTimeout: 45_000, dependsOn: [] },
  {
    name: 'contest-evaluation',
    layer: 'contest',
    failureThreshold: 10,
    resetTimeout: 120_000,
    dependsOn: ['market-data'],
  },
  {
    name: 'contest-wallet',
    layer: 'wallet',
    failureThreshold: 8,
    resetTimeout: 90_000,
    dependsOn: ['contest-evaluation', 'vanity-wallet'],
  },
  {
    name: 'vanity-wallet',
    layer: 'wallet',
    failureThreshold: 4,
    resetTimeout: 45_000,
    dependsOn: ['wallet-generator'],
  },
  {
    name: 'wallet-generator',
    layer: 'infrastructure',
    failureThreshold: 5,
    resetTimeout: 60_000,
    dependsOn: [],
  },
]);

/**
 * Seed 000's `RecoveryConfig`, real ms. `monitoringWindowMs` is listed for
 * completeness but not applied: in core, `monitoringWindow` turns the
 * threshold into "failures inside the window", while the demo shows seed
 * 000's closed → open on consecutive failures.
 */
export const recoveryConfig = Object.freeze({
  maxRecoveryAttempts: 3,
  backoffMultiplier: 2,
  minHealthyPeriodMs: 120_000,
  monitoringWindowMs: 300_000,
});

/** Core's cap on a backed-off open period (its default `maxResetTimeout`), real ms. */
const maxResetTimeoutMs = 300_000;

/** The demo runs this many times faster than real time: 1 s on screen stands for 20 s. */
export const timeScale = 20;

/** A real duration in demo time (ms). */
export function scaled(realMs: number): number {
  return realMs / timeScale;
}

/** The breaker options of `service` in demo time: seed 000's thresholds and recovery, durations ÷ {@link timeScale}. */
export function breakerOptions(service: ServiceSpec, clock: Clock): CircuitBreakerOptions {
  return {
    failureThreshold: service.failureThreshold,
    resetTimeout: scaled(service.resetTimeout),
    // Seed 000's state diagram: one successful trial closes a half-open circuit.
    successThreshold: 1,
    backoffMultiplier: recoveryConfig.backoffMultiplier,
    maxRecoveryAttempts: recoveryConfig.maxRecoveryAttempts,
    minHealthyPeriod: scaled(recoveryConfig.minHealthyPeriodMs),
    maxResetTimeout: scaled(maxResetTimeoutMs),
    clock,
  };
}
