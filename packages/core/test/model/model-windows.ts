import type { ModelWindowSpec } from './model-options';

/**
 * The windows of the reference model, kept as plain lists: every outcome
 * with its time, filtered when read. Slow and obvious on purpose.
 */

/** Time windows age in this many buckets (docs: "ages in 20 steps"). */
const buckets = 20;

/**
 * Whether something recorded at `at` still counts at `now` in a time window
 * of `size` ms. The window ages in 20 buckets of `size / 20` ms numbered
 * floor(t / width): an entry counts while fewer than 20 bucket numbers
 * separate it from now. That is never longer than the window, and at most
 * one bucket shorter.
 */
export function stillInTimeWindow(size: number, at: number, now: number): boolean {
  const width = size / buckets;
  return Math.floor(now / width) - Math.floor(at / width) < buckets;
}

/** One call as the rate rules see it. */
export interface Outcome {
  readonly at: number;
  readonly failure: boolean;
  /** Its duration was measured (only timed calls can be slow). */
  readonly timed: boolean;
  readonly slow: boolean;
}

/** Totals over the outcomes a window holds now. */
export interface WindowTotals {
  readonly calls: number;
  readonly failures: number;
  readonly timedCalls: number;
  readonly slowCalls: number;
}

/** The sliding window of the rate rules: the last `size` calls, or those of the last `size` ms. */
export class ModelSlidingWindow {
  readonly spec: ModelWindowSpec;
  #outcomes: Outcome[] = [];

  constructor(spec: ModelWindowSpec) {
    this.spec = spec;
  }

  record(outcome: Outcome): void {
    this.#outcomes.push(outcome);
    if (this.spec.type === 'count' && this.#outcomes.length > this.spec.size)
      this.#outcomes.shift();
  }

  clear(): void {
    this.#outcomes = [];
  }

  totals(now: number): WindowTotals {
    const { type, size } = this.spec;
    const held =
      type === 'count'
        ? this.#outcomes
        : this.#outcomes.filter((outcome) => stillInTimeWindow(size, outcome.at, now));
    return {
      calls: held.length,
      failures: held.filter((outcome) => outcome.failure).length,
      timedCalls: held.filter((outcome) => outcome.timed).length,
      slowCalls: held.filter((outcome) => outcome.slow).length,
    };
  }
}

/** `monitoringWindow`: the failures of the last `size` ms. */
export class ModelFailureWindow {
  readonly size: number;
  #failures: number[] = [];

  constructor(size: number) {
    this.size = size;
  }

  record(at: number): void {
    this.#failures.push(at);
  }

  clear(): void {
    this.#failures = [];
  }

  count(now: number): number {
    return this.#failures.filter((at) => stillInTimeWindow(this.size, at, now)).length;
  }
}
