import type { BreakerRecord, CircuitBreaker } from '@breakwater/core';
import { recordTemplate } from './fleet-message';

/** Buckets of the fleet-wide window (its resolution is the window / 10). */
const windowBuckets = 10;

export interface FlushSettings {
  readonly now: number;
  /** The fleet window of breakers whose own window counts calls, ms. */
  readonly sharedWindow: number;
  readonly channel: string;
  readonly instance: string;
}

/**
 * The flush script's arguments for one breaker's outcomes since the last
 * send, with the breaker's own trip rules (see the script in fleet-scripts);
 * `record` is the breaker's, written if the fleet has none yet.
 */
export function flushArguments(
  breaker: CircuitBreaker,
  record: BreakerRecord,
  delta: { readonly successes: number; readonly failures: number },
  settings: FlushSettings,
): string[] {
  const options = breaker.options;
  // An adaptive breaker judges failures by the rate it learned, which stays
  // local: the fleet applies no count rule to it, only its ceiling.
  const { adaptive } = options;
  const rateThreshold =
    adaptive === undefined
      ? options.failureRateThreshold
      : Math.min(options.failureRateThreshold ?? 1, adaptive.maxFailureRate);
  const windowMs =
    options.monitoringWindow ??
    (options.slidingWindow.type === 'time' ? options.slidingWindow.size : settings.sharedWindow);
  const bucketMs = Math.max(1, Math.ceil(windowMs / windowBuckets));
  const hadSuccess = delta.successes > 0;
  // After a success only the failures since it still run on; the breaker knows how many.
  const trailing = hadSuccess
    ? Math.min(delta.failures, breaker.status().failureCount)
    : delta.failures;
  return [
    String(settings.now),
    String(bucketMs),
    String(windowBuckets),
    String(delta.successes),
    String(delta.failures),
    String(trailing),
    hadSuccess ? '1' : '0',
    options.monitoringWindow === undefined ? 'consecutive' : 'window',
    adaptive === undefined ? String(options.failureThreshold) : String(Number.MAX_SAFE_INTEGER),
    String(options.minimumCalls),
    rateThreshold === undefined ? '' : String(rateThreshold),
    String(options.resetTimeout),
    String(options.backoffMultiplier),
    String(options.maxResetTimeout),
    settings.channel,
    settings.instance,
    recordTemplate(record),
  ];
}
