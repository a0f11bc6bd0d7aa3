import type { ServiceStatus } from '@breakwater/core';
import type { HistoryPoint } from './series-ring';

/**
 * What a sample remembers of a service: the breaker's lifetime totals and
 * latency histogram at that instant. The next point is the difference.
 */
export interface Reading {
  /** Monotonic ms (intervals never stretch or shrink with the wall clock). */
  readonly monotonic: number;
  readonly attempts: number;
  readonly successes: number;
  readonly failures: number;
  readonly rejected: number;
  /** Timed calls recorded in the latency histogram. */
  readonly timedCalls: number;
  /** Timed calls at or below each of {@link latencyBoundsMs}; undefined before the first. */
  readonly latencyCounts: readonly number[] | undefined;
}

/** Buckets of 1 µs each at the bottom of the breaker's histogram. */
const linearBuckets = 8;

/**
 * Bounds at which the breaker's latency histogram is read: its own bucket
 * edges (1 µs steps up to 8 µs, then four per doubling up to ~36 min), so
 * the difference of two readings is exact to the histogram's resolution
 * (within 19%), as the status' own percentiles are.
 */
export const latencyBoundsMs: readonly number[] = Object.freeze([
  ...Array.from({ length: linearBuckets }, (_, index) => (index + 1) / 1000),
  ...Array.from({ length: 28 * 4 }, (_, index) => {
    const exponent = Math.floor(index / 4) + 3;
    const width = 2 ** (exponent - 2);
    return (2 ** exponent + ((index % 4) + 1) * width) / 1000;
  }),
]);

/**
 * Reads a service now. `latencyCounts` reads the breaker's histogram; it is
 * called only when timed calls were added since `previous`, so a quiet
 * service costs one status.
 */
export function readingOf(
  { breaker }: ServiceStatus,
  monotonic: number,
  previous: Reading | undefined,
  latencyCounts: () => readonly number[] | undefined,
): Reading {
  const timedCalls = breaker.latency.samples;
  const unchanged = previous !== undefined && previous.timedCalls === timedCalls;
  return {
    monotonic,
    attempts: breaker.totalAttempts,
    successes: breaker.totalSuccesses,
    failures: breaker.totalFailures,
    rejected: breaker.rejected,
    timedCalls,
    latencyCounts: unchanged || timedCalls === 0 ? previous?.latencyCounts : latencyCounts(),
  };
}

/**
 * The point for the interval from `previous` to `current`. Rates are null for
 * a service's first reading and when a total went back (the breaker was
 * removed and created again between two samples): nothing to compare with.
 */
export function intervalPoint(
  at: number,
  previous: Reading | undefined,
  current: Reading,
  { breaker, health }: ServiceStatus,
): HistoryPoint {
  const seconds = previous === undefined ? 0 : (current.monotonic - previous.monotonic) / 1000;
  const delta = (total: (reading: Reading) => number): number | null => {
    if (previous === undefined) return null;
    const change = total(current) - total(previous);
    return change >= 0 ? change : null;
  };
  const attempts = delta((reading) => reading.attempts);
  const rejected = delta((reading) => reading.rejected);
  const successes = delta((reading) => reading.successes);
  const failures = delta((reading) => reading.failures);
  const perSecond = (count: number | null) =>
    count === null || seconds <= 0 ? null : round(count / seconds, 1_000);
  const settled = successes === null || failures === null ? 0 : successes + failures;
  return {
    at,
    callsPerSecond: perSecond(attempts),
    rejectedPerSecond: perSecond(rejected),
    failureRate: settled === 0 ? null : round((failures ?? 0) / settled, 10_000),
    p95: previous === undefined ? null : intervalPercentile(0.95, previous, current),
    state: breaker.state,
    health,
  };
}

/**
 * The duration (ms) at or below which `fraction` of the interval's timed
 * calls fell: the middle of the histogram bucket holding that rank, as the
 * status reports its percentiles. Null when no call was timed in between.
 */
export function intervalPercentile(
  fraction: number,
  previous: Reading,
  current: Reading,
): number | null {
  const samples = current.timedCalls - previous.timedCalls;
  const counts = current.latencyCounts;
  if (samples <= 0 || counts === undefined) return null;
  const before = previous.latencyCounts;
  const rank = Math.max(1, Math.ceil(fraction * samples));
  for (let index = 0; index < latencyBoundsMs.length; index++) {
    const seen = (counts[index] ?? 0) - (before?.[index] ?? 0);
    if (seen >= rank) return middleOfBucket(index);
  }
  return middleOfBucket(latencyBoundsMs.length - 1);
}

/** What the status reports for a bucket: its whole µs at the bottom, its middle above. */
function middleOfBucket(index: number): number {
  const lower = index === 0 ? 0 : (latencyBoundsMs[index - 1] ?? 0);
  if (index < linearBuckets) return lower;
  return round((lower + (latencyBoundsMs[index] ?? 0)) / 2, 1_000);
}

function round(value: number, per: number): number {
  return Math.round(value * per) / per;
}
