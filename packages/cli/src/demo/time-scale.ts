import { defaultOptions, type PersistableOptions } from '@breakwater/core';

/** The demo runs this many times faster than real time: 1 s on screen stands for 20 s. */
export const timeScale = 20;

/** A real duration in demo time (ms). */
export function scaled(realMs: number): number {
  return realMs / timeScale;
}

/** Options that are durations, ms. */
const durationOptions = [
  'resetTimeout',
  'maxResetTimeout',
  'minHealthyPeriod',
  'monitoringWindow',
  'slowCallDuration',
  'timeout',
] as const;

/**
 * Breaker options in demo time: every duration ÷ {@link timeScale} (a time
 * sliding window's size too), counts and rates as they are. Durations left
 * to core's defaults are written out first, so they shrink as well.
 */
export function scaleOptions(options: PersistableOptions): PersistableOptions {
  const resetTimeout = options.resetTimeout ?? defaultOptions.resetTimeout;
  const real: PersistableOptions = {
    resetTimeout,
    maxResetTimeout: Math.max(defaultOptions.maxResetTimeout, resetTimeout),
    minHealthyPeriod: defaultOptions.minHealthyPeriod,
    slowCallDuration: defaultOptions.slowCallDuration,
    ...options,
  };
  const result: Record<string, unknown> = { ...real };
  for (const name of durationOptions) {
    const value = real[name];
    if (value !== undefined) result[name] = scaled(value);
  }
  const window = real.slidingWindow;
  if (window?.type === 'time') result.slidingWindow = { ...window, size: scaled(window.size) };
  return result as PersistableOptions;
}
