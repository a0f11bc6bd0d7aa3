import { outcomeFlags } from '../window/outcome-window';
import type { ResolvedOptions } from './breaker-options';

/** Recorded as the error of a value that `isResultFailure` judged a failure. */
export const resultFailure = Object.freeze({
  name: 'ResultFailure',
  message: 'isResultFailure judged the result a failure',
});

/** Whether an error counts as a failure: not an `ignoredErrors` class, and `isFailure` agrees. */
export function countsAsFailure(options: ResolvedOptions, error: unknown): boolean {
  for (const ignored of options.ignoredErrors) {
    if (error instanceof ignored) return false;
  }
  const decide = options.isFailure;
  if (decide === undefined) return true;
  try {
    return decide(error) !== false;
  } catch {
    return true; // a classifier that throws must not hide a failure
  }
}

/** Whether `isResultFailure` judges a resolved value a failure (a throwing judge means yes). */
export function resultCountsAsFailure(options: ResolvedOptions, value: unknown): boolean {
  const judge = options.isResultFailure;
  if (judge === undefined) return false;
  try {
    return judge(value) === true;
  } catch {
    return true;
  }
}

/** The window flags of one call: failure, and — for a timed call — timed and maybe slow. */
export function flagsOf(
  options: ResolvedOptions,
  duration: number | undefined,
  failed: boolean,
): number {
  const failure = failed ? outcomeFlags.failure : 0;
  if (duration === undefined) return failure;
  const slow = duration > options.slowCallDuration ? outcomeFlags.slow : 0;
  return failure | outcomeFlags.timed | slow;
}
