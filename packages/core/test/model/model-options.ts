/**
 * The options the reference model understands, their documented defaults
 * and the cross-option rules that make `new CircuitBreaker` or `reconfigure`
 * throw a `ConfigError` (docs/configuration.md). Every other bound is kept
 * by the test's arbitraries, so only these three can be broken.
 */

/** A sliding window: the last `size` calls, or the calls of the last `size` ms. */
export interface ModelWindowSpec {
  readonly type: 'count' | 'time';
  readonly size: number;
}

/** Plain-data options, as given to the breaker (the breaker gets the same object). */
export interface ModelOptions {
  readonly failureThreshold?: number;
  readonly monitoringWindow?: number;
  readonly resetTimeout?: number;
  readonly successThreshold?: number;
  readonly halfOpenMaxCalls?: number;
  readonly backoffMultiplier?: number;
  readonly maxResetTimeout?: number;
  readonly trialTimeout?: number;
  readonly maxRecoveryAttempts?: number;
  readonly minHealthyPeriod?: number;
  readonly slidingWindow?: ModelWindowSpec;
  readonly minimumCalls?: number;
  readonly failureRateThreshold?: number;
  readonly slowCallRateThreshold?: number;
  readonly slowCallDuration?: number;
  readonly timeout?: number;
  readonly latencySampling?: number;
}

/** Options with every default applied. */
export interface Settings {
  readonly failureThreshold: number;
  readonly monitoringWindow: number | undefined;
  readonly resetTimeout: number;
  readonly successThreshold: number;
  readonly halfOpenMaxCalls: number;
  readonly backoffMultiplier: number;
  readonly maxResetTimeout: number;
  readonly trialTimeout: number;
  readonly maxRecoveryAttempts: number;
  readonly minHealthyPeriod: number;
  readonly slidingWindow: ModelWindowSpec;
  readonly minimumCalls: number;
  readonly failureRateThreshold: number | undefined;
  readonly slowCallRateThreshold: number | undefined;
  readonly slowCallDuration: number;
  readonly timeout: number | undefined;
  readonly latencySampling: number;
}

/** The defaults docs/configuration.md gives. */
export function settingsOf(given: ModelOptions): Settings {
  const resetTimeout = given.resetTimeout ?? 30_000;
  const timeout = given.timeout;
  return {
    failureThreshold: given.failureThreshold ?? 5,
    monitoringWindow: given.monitoringWindow,
    resetTimeout,
    successThreshold: given.successThreshold ?? 2,
    halfOpenMaxCalls: given.halfOpenMaxCalls ?? 1,
    backoffMultiplier: given.backoffMultiplier ?? 2,
    maxResetTimeout: given.maxResetTimeout ?? Math.max(300_000, resetTimeout),
    trialTimeout: given.trialTimeout ?? Math.max(60_000, timeout ?? 0),
    maxRecoveryAttempts: given.maxRecoveryAttempts ?? 3,
    minHealthyPeriod: given.minHealthyPeriod ?? 120_000,
    slidingWindow: given.slidingWindow ?? { type: 'count', size: 100 },
    minimumCalls: given.minimumCalls ?? 10,
    failureRateThreshold: given.failureRateThreshold,
    slowCallRateThreshold: given.slowCallRateThreshold,
    slowCallDuration: given.slowCallDuration ?? 5_000,
    timeout,
    latencySampling: given.latencySampling ?? 64,
  };
}

/** The options a set of options breaks (each a `ConfigError`'s `option`); empty when valid. */
export function optionProblems(given: ModelOptions): string[] {
  const settings = settingsOf(given);
  const problems: string[] = [];
  if (settings.timeout !== undefined && settings.trialTimeout < settings.timeout) {
    problems.push('trialTimeout');
  }
  const window = settings.slidingWindow;
  if (window.type === 'count' && settings.minimumCalls > window.size) problems.push('minimumCalls');
  if (settings.maxResetTimeout < settings.resetTimeout) problems.push('maxResetTimeout');
  return problems;
}

/** `{ ...given, ...changes }` as `reconfigure` merges them: a key set to undefined goes back to its default. */
export function mergeOptions(given: ModelOptions, changes: ModelOptions): ModelOptions {
  const merged: Record<string, unknown> = { ...given, ...changes };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  return merged as ModelOptions;
}

/** Same type and size: `reconfigure` keeps such a window and its contents. */
export function sameWindow(a: ModelWindowSpec, b: ModelWindowSpec): boolean {
  return a.type === b.type && a.size === b.size;
}
