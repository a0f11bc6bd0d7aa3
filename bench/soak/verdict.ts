import type { SoakSample } from './sampler';

/**
 * Default limit on heap growth, MB per hour, over the second half of a run.
 * The demo makes 120 breaker calls a second (432 000 an hour): a leak that
 * keeps 5 bytes per call, one small object every tenth call, grows 2.2 MB an
 * hour. Flat 30-minute runs fit well under 1 MB/h over their second half
 * (the history's bounded transition lists still filling, the JIT still
 * compiling), so 2 MB/h separates the two.
 */
export const defaultMaxGrowthMbPerHour = 2;

export interface SoakVerdict {
  readonly passed: boolean;
  /** heapUsed growth over the second half, bytes per hour: the judged figure, a Theil–Sen slope. */
  readonly heapGrowthPerHour: number;
  /** The least-squares slope of the same samples, bytes per hour (reported: a dip pulls it). */
  readonly heapLeastSquaresPerHour: number;
  /** The same without V8's code spaces (reported, not judged): what data the process keeps. */
  readonly dataGrowthPerHour: number;
  /** Fitted rss growth over the second half, bytes per hour (reported, not judged: the allocator keeps pages). */
  readonly rssGrowthPerHour: number;
  /** Active handles and requests: the highest total of the second quarter, the lowest of the last. */
  readonly resourcesSecondQuarterMax: number;
  readonly resourcesLastQuarterMin: number;
  readonly reasons: readonly string[];
}

/** Least-squares slope of y over x. */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  const meanX = xs.reduce((sum, x) => sum + x, 0) / n;
  const meanY = ys.reduce((sum, y) => sum + y, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i += 1) {
    const dx = (xs[i] as number) - meanX;
    num += dx * ((ys[i] as number) - meanY);
    den += dx * dx;
  }
  return den === 0 ? 0 : num / den;
}

/**
 * Theil–Sen slope: the median of the slopes between every pair of points. A
 * few samples taken while V8 had just dropped its bytecode and feedback (its
 * memory reducer does so on a quiet process; they come back within minutes)
 * do not move it, while a leak, which lifts every later sample, does.
 */
export function robustSlope(xs: readonly number[], ys: readonly number[]): number {
  const slopes: number[] = [];
  for (let i = 0; i < xs.length; i += 1) {
    for (let j = i + 1; j < xs.length; j += 1) {
      const dx = (xs[j] as number) - (xs[i] as number);
      if (dx !== 0) slopes.push(((ys[j] as number) - (ys[i] as number)) / dx);
    }
  }
  slopes.sort((a, b) => a - b);
  const middle = slopes.length / 2;
  if (slopes.length === 0) return 0;
  return slopes.length % 2 === 1
    ? (slopes[Math.floor(middle)] as number)
    : ((slopes[middle - 1] as number) + (slopes[middle] as number)) / 2;
}

export function totalResources(sample: SoakSample): number {
  return Object.values(sample.resources).reduce((sum, count) => sum + count, 0);
}

/**
 * Judges a run: fails when heapUsed (after gc) grows faster than the limit
 * over the second half (a Theil–Sen slope) (the first half is warm-up: JIT, pools, rings
 * filling), or when the floor of active handles in the last quarter is above
 * their ceiling in the second quarter (handles that pile up; the WebSocket
 * clients' reconnections make them move, so a slope would be noise).
 */
export function judge(samples: readonly SoakSample[], maxGrowthMbPerHour: number): SoakVerdict {
  const half = samples.slice(Math.floor(samples.length / 2));
  const reasons: string[] = [];
  if (half.length < 4) reasons.push(`too few samples to fit (${half.length} in the second half)`);
  const hours = half.map((sample) => sample.atS / 3600);
  const heap = half.map((sample) => sample.heapUsed);
  const heapGrowthPerHour = robustSlope(hours, heap);
  const heapLeastSquaresPerHour = slope(hours, heap);
  const dataGrowthPerHour = robustSlope(
    hours,
    half.map((sample) => sample.heapUsed - sample.codeUsed),
  );
  const rssGrowthPerHour = slope(
    hours,
    half.map((sample) => sample.rss),
  );
  const quarter = Math.max(1, Math.floor(samples.length / 4));
  const totals = samples.map(totalResources);
  const resourcesSecondQuarterMax = Math.max(...totals.slice(quarter, 2 * quarter));
  const resourcesLastQuarterMin = Math.min(...totals.slice(-quarter));
  const limit = maxGrowthMbPerHour * 1024 * 1024;
  if (heapGrowthPerHour > limit) {
    reasons.push(
      `heapUsed grows ${mb(heapGrowthPerHour)} MB/h over the second half (limit ${maxGrowthMbPerHour} MB/h)`,
    );
  }
  if (resourcesLastQuarterMin > resourcesSecondQuarterMax) {
    reasons.push(
      `active handles pile up: at least ${resourcesLastQuarterMin} in the last quarter, at most ${resourcesSecondQuarterMax} in the second`,
    );
  }
  return {
    passed: reasons.length === 0,
    heapGrowthPerHour,
    heapLeastSquaresPerHour,
    dataGrowthPerHour,
    rssGrowthPerHour,
    resourcesSecondQuarterMax,
    resourcesLastQuarterMin,
    reasons,
  };
}

export function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(2);
}
