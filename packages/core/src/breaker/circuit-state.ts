/** The five states of a breaker. */
export type StateName = 'closed' | 'open' | 'half-open' | 'forced-open' | 'disabled';

/** Every state name, in a stable order (for per-state statistics). */
export const stateNames: readonly StateName[] = Object.freeze([
  'closed',
  'open',
  'half-open',
  'forced-open',
  'disabled',
]);

/**
 * A breaker's state: one value of a discriminated union, each variant holding
 * the data only it needs. `since` is monotonic ms. The object's identity also
 * marks an epoch: a call remembers the state it started in, and a completion
 * that arrives after that state was left does not drive transitions.
 */
export type CircuitState =
  | { readonly name: 'closed'; readonly since: number }
  | { readonly name: 'open'; readonly since: number; readonly openUntil: number }
  | HalfOpenState
  | { readonly name: 'forced-open'; readonly since: number }
  | { readonly name: 'disabled'; readonly since: number };

export interface HalfOpenState {
  readonly name: 'half-open';
  readonly since: number;
  /** Trial calls running now. */
  inFlight: number;
  /** Successful trial calls so far. */
  successes: number;
}

/** Why a breaker changed state. */
export type TransitionReason =
  | 'consecutive-failures'
  | 'failure-count-in-window'
  | 'failure-rate'
  | 'slow-call-rate'
  /** The window's failure rate rose clearly above the learned baseline (the `adaptive` option). */
  | 'adaptive-failure-rate'
  | 'half-open-failure'
  | 'half-open-success'
  | 'reset-timeout-elapsed'
  | 'manual'
  /** Taken up from a saved record (`restore`). */
  | 'restored'
  /** Taken up from another instance sharing the breaker (`adopt`). */
  | 'shared';

/** The reasons that open a closed circuit. */
export type TripReason = Extract<
  TransitionReason,
  | 'consecutive-failures'
  | 'failure-count-in-window'
  | 'failure-rate'
  | 'slow-call-rate'
  | 'adaptive-failure-rate'
>;
