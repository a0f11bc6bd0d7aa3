/**
 * Call durations in fixed logarithmic buckets: exact below 8 µs, then four
 * buckets per doubling (each within 19% of its neighbours) up to about 18
 * minutes. Recording is O(1); percentiles read at most 120 counters. The
 * counters are allocated on the first sample, and only up to the slowest
 * duration seen so far (in steps of 16), so recording allocates only when a
 * call is slower than every one before it by a whole step.
 */
const linearLimit = 8; // µs recorded one bucket each
const subBuckets = 4;
const maxExponent = 30;
const bucketTotal = linearLimit + (maxExponent - 2) * subBuckets;
/** Counters are added in groups of this many (64 bytes) as slower durations arrive. */
const growthStep = 16;

export interface LatencyPercentiles {
  /** Median duration, ms; null before the first sample. */
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  /** Number of durations recorded. */
  readonly samples: number;
}

/** Samples at or below each bound, for exporting to another histogram (e.g. Prometheus). */
export interface LatencyDistribution {
  /** Cumulative counts, one per bound, in the order given. */
  readonly counts: readonly number[];
  readonly samples: number;
  /** Sum of the recorded durations, ms. */
  readonly sumMs: number;
}

export class LatencyHistogram {
  #counts: Uint32Array | undefined;
  #samples = 0;
  #sumMs = 0;

  get samples(): number {
    return this.#samples;
  }

  /** Records one duration in milliseconds. */
  record(durationMs: number): void {
    const index = bucketOf(durationMs * 1000);
    let counts = this.#counts;
    if (counts === undefined || index >= counts.length) counts = this.#grow(index);
    counts[index] = (counts[index] ?? 0) + 1;
    this.#samples++;
    this.#sumMs += durationMs;
  }

  /**
   * Cumulative counts at each of `boundsMs` (ascending). A sample counts
   * toward a bound once its whole bucket lies at or below it, so counts are
   * exact to the bucket width (within 19%) and never overstated.
   */
  distribution(boundsMs: readonly number[]): LatencyDistribution {
    const counts = this.#counts;
    const result = boundsMs.map((bound) => {
      if (counts === undefined) return 0;
      let total = 0;
      for (let index = 0; index < counts.length && upperBoundMs(index) <= bound; index++)
        total += counts[index] ?? 0;
      return total;
    });
    return { counts: result, samples: this.#samples, sumMs: this.#sumMs };
  }

  /** Duration (ms) at or below which `fraction` (0..1) of the samples fall; null if none. */
  percentile(fraction: number): number | null {
    const counts = this.#counts;
    if (counts === undefined || this.#samples === 0) return null;
    const rank = Math.max(1, Math.ceil(fraction * this.#samples));
    let seen = 0;
    for (let index = 0; index < counts.length; index++) {
      seen += counts[index] ?? 0;
      if (seen >= rank) return representativeMs(index);
    }
    return representativeMs(counts.length - 1);
  }

  percentiles(): LatencyPercentiles {
    return {
      p50: this.percentile(0.5),
      p95: this.percentile(0.95),
      p99: this.percentile(0.99),
      samples: this.#samples,
    };
  }

  clear(): void {
    this.#counts?.fill(0);
    this.#samples = 0;
    this.#sumMs = 0;
  }

  /**
   * Makes room up to bucket `index`, in steps of 16 buckets: counters exist
   * only up to the slowest duration seen (fast dependencies never need the
   * buckets for seconds and minutes).
   */
  #grow(index: number): Uint32Array {
    const length = Math.min(bucketTotal, (Math.floor(index / growthStep) + 1) * growthStep);
    const grown = new Uint32Array(length);
    if (this.#counts !== undefined) grown.set(this.#counts);
    this.#counts = grown;
    return grown;
  }
}

function bucketOf(micros: number): number {
  if (!(micros >= 0)) return 0; // NaN or negative (a clock that went back): shortest bucket
  if (micros >= 2 ** (maxExponent + 1)) return bucketTotal - 1;
  const whole = micros >>> 0;
  if (whole < linearLimit) return whole;
  const exponent = 31 - Math.clz32(whole);
  const sub = (whole >>> (exponent - 2)) & (subBuckets - 1);
  return linearLimit + (exponent - 3) * subBuckets + sub;
}

/** The middle of a bucket, in milliseconds, rounded to the microsecond. */
function representativeMs(index: number): number {
  if (index < linearLimit) return index / 1000;
  const exponent = Math.floor((index - linearLimit) / subBuckets) + 3;
  const sub = (index - linearLimit) % subBuckets;
  const width = 2 ** (exponent - 2);
  const low = 2 ** exponent + sub * width;
  return Math.round(low + width / 2) / 1000;
}

/** The upper edge of a bucket, in milliseconds. */
function upperBoundMs(index: number): number {
  if (index < linearLimit) return (index + 1) / 1000;
  const exponent = Math.floor((index - linearLimit) / subBuckets) + 3;
  const sub = (index - linearLimit) % subBuckets;
  const width = 2 ** (exponent - 2);
  return (2 ** exponent + (sub + 1) * width) / 1000;
}
