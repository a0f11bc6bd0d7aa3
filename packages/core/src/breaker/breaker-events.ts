import type { RejectingState } from '../errors/circuit-open-error';
import type { StateName, TransitionReason } from './circuit-state';

interface EventBase {
  /** Name of the breaker. */
  readonly breaker: string;
  /** When it happened, epoch ms. */
  readonly at: number;
}

export interface StateChangeEvent extends EventBase {
  readonly type: 'stateChange';
  readonly from: StateName;
  readonly to: StateName;
  readonly reason: TransitionReason;
}

export interface SuccessEvent extends EventBase {
  readonly type: 'success';
  /** Duration in ms, when this call was timed (see `latencySampling`). */
  readonly duration: number | undefined;
}

export interface FailureEvent extends EventBase {
  readonly type: 'failure';
  readonly error: unknown;
  readonly duration: number | undefined;
}

export interface RejectedEvent extends EventBase {
  readonly type: 'rejected';
  readonly state: RejectingState;
  readonly retryAfter: number | undefined;
}

export interface TimeoutEvent extends EventBase {
  readonly type: 'timeout';
  /** The timeout that elapsed, ms. */
  readonly timeout: number;
}

export interface RecoveryExhaustedEvent extends EventBase {
  readonly type: 'recoveryExhausted';
  /**
   * Recoveries that failed since the last healthy period: the backoff step,
   * as the status' `failedRecoveries`. The event fires when
   * `maxRecoveryAttempts` of them came in a row; this count is higher when
   * a recovery succeeded in between (or a saved record brought failures in).
   */
  readonly failedRecoveries: number;
  /** Recoveries that failed in a row: `maxRecoveryAttempts` when the event fires. */
  readonly failedInARow: number;
  /** Open period now in force, ms. */
  readonly nextResetTimeout: number;
}

export interface ListenerErrorEvent extends EventBase {
  readonly type: 'error';
  /** What the listener threw. */
  readonly error: unknown;
  /** The event whose listener threw. */
  readonly during: Exclude<keyof BreakerEvents, 'error'>;
}

/** Every event a breaker emits, by name. */
export interface BreakerEvents {
  stateChange: StateChangeEvent;
  success: SuccessEvent;
  failure: FailureEvent;
  rejected: RejectedEvent;
  timeout: TimeoutEvent;
  recoveryExhausted: RecoveryExhaustedEvent;
  error: ListenerErrorEvent;
}

export type BreakerEvent = BreakerEvents[keyof BreakerEvents];

/** Every breaker event name, for checking subscriptions. */
export const breakerEventTypes: readonly (keyof BreakerEvents)[] = Object.freeze([
  'stateChange',
  'success',
  'failure',
  'rejected',
  'timeout',
  'recoveryExhausted',
  'error',
]);
