import type { ServiceHealth, StateName } from '@breakwater/core';
import { stateNames } from '@breakwater/core';

/** One point of a service's history: what a chart plots at `at`. */
export interface HistoryPoint {
  /** When the sample was taken, epoch ms. */
  readonly at: number;
  /** Calls that ran (successes, failures and ignored calls) per second over the interval; null without an earlier sample. */
  readonly callsPerSecond: number | null;
  /** Calls rejected without running (fast fails) per second over the interval; null without an earlier sample. */
  readonly rejectedPerSecond: number | null;
  /** Failures over the calls that succeeded or failed in the interval, 0..1; null when there were none. */
  readonly failureRate: number | null;
  /** 95th percentile of the interval's timed calls, ms; null when none was timed. */
  readonly p95: number | null;
  /** The circuit state when the sample was taken. */
  readonly state: StateName;
  /** The service's health when the sample was taken. */
  readonly health: ServiceHealth;
}

const healthNames = [
  'healthy',
  'degraded',
  'failed',
  'unknown',
] as const satisfies readonly ServiceHealth[];

/**
 * The last `capacity` points of one service, oldest overwritten first. Kept
 * in typed columns (null as NaN, state and health as indexes) so a service
 * costs the same fixed ~43 bytes a point however long the monitor runs.
 */
export class SeriesRing {
  readonly #capacity: number;
  readonly #at: Float64Array;
  readonly #calls: Float64Array;
  readonly #rejected: Float64Array;
  readonly #failureRate: Float64Array;
  readonly #p95: Float64Array;
  readonly #state: Uint8Array;
  readonly #health: Uint8Array;
  /** Index the next point goes to. */
  #next = 0;
  #size = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
    this.#at = new Float64Array(capacity);
    this.#calls = new Float64Array(capacity);
    this.#rejected = new Float64Array(capacity);
    this.#failureRate = new Float64Array(capacity);
    this.#p95 = new Float64Array(capacity);
    this.#state = new Uint8Array(capacity);
    this.#health = new Uint8Array(capacity);
  }

  get size(): number {
    return this.#size;
  }

  push(point: HistoryPoint): void {
    const index = this.#next;
    this.#at[index] = point.at;
    this.#calls[index] = point.callsPerSecond ?? Number.NaN;
    this.#rejected[index] = point.rejectedPerSecond ?? Number.NaN;
    this.#failureRate[index] = point.failureRate ?? Number.NaN;
    this.#p95[index] = point.p95 ?? Number.NaN;
    this.#state[index] = stateNames.indexOf(point.state);
    this.#health[index] = healthNames.indexOf(point.health);
    this.#next = (index + 1) % this.#capacity;
    this.#size = Math.min(this.#size + 1, this.#capacity);
  }

  /** The points taken after `since` (epoch ms; every point when undefined), oldest first. */
  points(since?: number): HistoryPoint[] {
    const points: HistoryPoint[] = [];
    const oldest = (this.#next - this.#size + this.#capacity) % this.#capacity;
    for (let offset = 0; offset < this.#size; offset++) {
      const index = (oldest + offset) % this.#capacity;
      const at = this.#at[index] ?? 0;
      if (since !== undefined && at <= since) continue;
      points.push({
        at,
        callsPerSecond: orNull(this.#calls[index]),
        rejectedPerSecond: orNull(this.#rejected[index]),
        failureRate: orNull(this.#failureRate[index]),
        p95: orNull(this.#p95[index]),
        state: stateNames[this.#state[index] ?? 0] ?? 'closed',
        health: healthNames[this.#health[index] ?? 0] ?? 'unknown',
      });
    }
    return points;
  }
}

function orNull(value: number | undefined): number | null {
  return value === undefined || Number.isNaN(value) ? null : value;
}
