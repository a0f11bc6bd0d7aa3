import type { OutcomeWindow } from '../window/outcome-window';
import type { ResolvedOptions } from './breaker-options';
import type { TripReason } from './circuit-state';

/**
 * Whether a closed circuit should open, as a pure function of the counts:
 * the failure count (consecutive, or inside `monitoringWindow`) and the
 * sliding window's totals. Returns the first rule that fires, or undefined.
 */
export function findTripReason(
  options: ResolvedOptions,
  failureCount: number,
  window: OutcomeWindow,
): TripReason | undefined {
  if (failureCount >= options.failureThreshold) {
    return options.monitoringWindow === undefined
      ? 'consecutive-failures'
      : 'failure-count-in-window';
  }
  return findRateTripReason(options, window);
}

/** The rate rules alone, evaluated only once the window holds `minimumCalls` calls. */
export function findRateTripReason(
  options: ResolvedOptions,
  window: OutcomeWindow,
): TripReason | undefined {
  if (window.calls < options.minimumCalls) return undefined;
  const { failureRateThreshold, slowCallRateThreshold } = options;
  if (
    failureRateThreshold !== undefined &&
    window.failures / window.calls >= failureRateThreshold
  ) {
    return 'failure-rate';
  }
  if (
    slowCallRateThreshold !== undefined &&
    window.timedCalls > 0 &&
    window.slowCalls / window.timedCalls >= slowCallRateThreshold
  ) {
    return 'slow-call-rate';
  }
  return undefined;
}

/** True when a rate rule (or the adaptive threshold) is configured, so outcomes must be checked against the window. */
export function hasRateRules(options: ResolvedOptions): boolean {
  return (
    options.failureRateThreshold !== undefined ||
    options.slowCallRateThreshold !== undefined ||
    options.adaptive !== undefined
  );
}
