/** How a half-open trial call ended. */
export type TrialOutcome = 'success' | 'failure' | 'ignored';

/**
 * A budget of half-open trial calls kept outside the breaker, so that several
 * processes sharing one breaker run at most `halfOpenMaxCalls` trials between
 * them. Both methods are synchronous: a call never waits on it, so an
 * implementation answers from permits it already holds (and fetches more in
 * the background). The breaker's own `halfOpenMaxCalls` limit still applies.
 */
export interface TrialPermits {
  /** Takes a permit for a trial call; false rejects the call as if every permit were taken. */
  tryAcquire(): boolean;
  /** Gives back the permit of a trial that ended, whatever the breaker's state is by then. */
  release(outcome: TrialOutcome): void;
}
