import type { SoakSample } from './sampler';

/**
 * Default limit on heap growth, MB per hour, over the second half of a run.
 * The demo makes 120 breaker calls a second (432 000 an hour): a leak that
 * keeps 5 bytes per call, one small object every tenth call, grows 2.2 MB an
 * hour. A flat run's fitted slope stays within a few hundred KB an hour of 0
 * over a 15-minute half (the history rings, the audit page and V8's own
 * pools are allocated early), so 2 MB/h separates the two.
 */
export const defaultMaxGrowthMbPerHour = 2;

export interface SoakVerdict {
  readonly passed: boolean;
  /** Fitted heapUsed growth over the second half, bytes per hour. */
  readonly heapGrowthPerHour: number;
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

export function totalResources(sample: SoakSample): number {
  return Object.values(sample.resources).reduce((sum, count) => sum + count, 0);
}

/**
 * Judges a run: fails when heapUsed (after gc) grows faster than the limit
 * over the second half (the first half is warm-up: JIT, pools, rings
 * filling), or when the floor of active handles in the last quarter is above
 * their ceiling in the second quarter (handles that pile up; the WebSocket
 * clients' reconnections make them move, so a slope would be noise).
 */
export function judge(samples: readonly SoakSample[], maxGrowthMbPerHour: number): SoakVerdict {
  const half = samples.slice(Math.floor(samples.length / 2));
  const reasons: string[] = [];
  if (half.length < 4) reasons.push(`too few samples to fit (${half.length} in the second half)`);
  const hours = half.map((sample) => sample.atS / 3600);
  const heapGrowthPerHour = slope(
    hours,
    half.map((sample) => sample.heapUsed),
  );
  const dataGrowthPerHour = slope(
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
