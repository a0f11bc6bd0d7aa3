import type { Work } from './contenders';

/** The guarded call: an async function that resolves at once, so only the wrapper's cost shows. */
export const succeed: Work = async () => 42;

/** Built once, so no scenario pays for capturing a stack trace. */
export const plannedFailure = new Error('planned failure (pre-built)');

/** The failing call: an async function that rejects with the pre-built error. */
export const fail: Work = async () => {
  throw plannedFailure;
};
