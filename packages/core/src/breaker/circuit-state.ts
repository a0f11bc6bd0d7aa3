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
  | OpenState
  | HalfOpenState
  | { readonly name: 'forced-open'; readonly since: number }
  | { readonly name: 'disabled'; readonly since: number };

export interface OpenState {
  readonly name: 'open';
  readonly since: number;
  /** Monotonic ms at which the next call becomes a trial. */
  readonly openUntil: number;
}

/** The states in which a call must be admitted before it runs (or is rejected). */
export type GuardingState = Exclude<CircuitState, { readonly name: 'closed' | 'disabled' }>;

export interface HalfOpenState {
  readonly name: 'half-open';
  readonly since: number;
  /** Trial calls running now, in the order they were admitted. */
  readonly trials: Trial[];
  /** Successful trial calls so far. */
  successes: number;
}

/**
 * A half-open trial call. One that has not settled by its deadline counts as
 * a failed trial (see `trialTimeout`), and whatever it does later is ignored.
 */
export class Trial {
  /** Monotonic ms by which the trial must settle. */
  readonly deadline: number;
  /** The limit it was given, ms (for the error it is recorded with). */
  readonly limit: number;
  /** Settled, or given up at its deadline. */
  ended = false;

  constructor(startedAt: number, limit: number) {
    this.deadline = startedAt + limit;
    this.limit = limit;
  }
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
  /** A half-open trial did not settle within `trialTimeout`: counted as a failed trial. */
  | 'trial-timeout'
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
