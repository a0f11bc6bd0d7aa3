import type { Clock, TimerHandle } from '../clock/clock';
import { CallTimeoutError } from '../errors/call-timeout-error';
import {
  type CircuitOpenError,
  createCircuitOpenError,
  type RejectingState,
} from '../errors/circuit-open-error';
import { ConfigError } from '../errors/config-error';
import { Emitter, type Unsubscribe } from '../events/emitter';
import { CountWindow } from '../window/count-window';
import { type OutcomeWindow, outcomeFlags } from '../window/outcome-window';
import { TimeWindow } from '../window/time-window';
import type { BreakerEvents } from './breaker-events';
import type { CircuitBreakerOptions, ResolvedOptions } from './breaker-options';
import { BreakerStats } from './breaker-stats';
import { type BreakerStatus, describeState, isoTime } from './breaker-status';
import type {
  CircuitState,
  HalfOpenState,
  StateName,
  TransitionReason,
  TripReason,
} from './circuit-state';
import { Recovery } from './recovery';
import { resolveOptions } from './resolve-options';
import { findRateTripReason, findTripReason, hasRateRules } from './trip-rules';

/** The protected work: receives the call's `AbortSignal` and returns a value or a promise. */
export type Operation<T> = (signal: AbortSignal) => T | PromiseLike<T>;

/** Per-call options of {@link CircuitBreaker.execute}. */
export interface ExecuteOptions {
  /** Abort the call after this many ms and count it as a failure. Overrides the breaker's `timeout`. */
  readonly timeout?: number;
  /** The caller's signal: aborting it aborts the call, which then counts as neither success nor failure. */
  readonly signal?: AbortSignal;
}

/**
 * Passed to calls that have neither a timeout nor a caller signal: such a
 * call can never be aborted, and a fresh `AbortController` costs ~2.7 µs.
 */
const neverAbortedSignal: AbortSignal = new AbortController().signal;

/** Recorded as the error of a value that `isResultFailure` judged a failure. */
const resultFailure = Object.freeze({
  name: 'ResultFailure',
  message: 'isResultFailure judged the result a failure',
});

/** The completion handlers shared by the untimed calls started in one state. */
interface Settlers {
  readonly state: CircuitState;
  readonly success: (value: unknown) => void;
  readonly failure: (error: unknown) => void;
}

const eventTypes = new Set<string>([
  'stateChange',
  'success',
  'failure',
  'rejected',
  'timeout',
  'recoveryExhausted',
  'error',
]);

/**
 * A circuit breaker guarding any number of calls to one dependency.
 *
 * A call is admitted (or rejected fast with a {@link CircuitOpenError}),
 * run, classified once (failure? slow?), recorded in the windows, checked
 * against the trip rules, and may cause one transition. Open → half-open
 * happens lazily when a call arrives, so a breaker owns no timer.
 */
export class CircuitBreaker {
  /** The breaker's name, carried by its errors and events. */
  readonly name: string;
  readonly #options: ResolvedOptions;
  readonly #clock: Clock;
  #state: CircuitState;
  #events: Emitter<BreakerEvents> | undefined;
  readonly #stats = new BreakerStats();
  readonly #recovery = new Recovery();
  /** The sliding window the rate rules and the status' rates read. */
  readonly #window: OutcomeWindow;
  /** Failures inside `monitoringWindow`, when that option is set. */
  readonly #failureWindow: TimeWindow | undefined;
  #consecutiveFailures = 0;
  #consecutiveSuccesses = 0;
  #settlers: Settlers | undefined;
  /** Calls left until the next timed one (see `latencySampling`). */
  #untilTimedCall = 1;
  readonly #timingInterval: number;
  readonly #windowsNeedTime: boolean;
  readonly #rateRules: boolean;

  constructor(name: string, options?: CircuitBreakerOptions) {
    if (typeof name !== 'string' || name.length === 0) {
      throw new ConfigError('name', name, 'a non-empty string');
    }
    this.name = name;
    this.#options = resolveOptions(options);
    this.#clock = this.#options.clock;
    const { slidingWindow, monitoringWindow } = this.#options;
    this.#window =
      slidingWindow.type === 'count'
        ? new CountWindow(slidingWindow.size)
        : new TimeWindow(slidingWindow.size);
    this.#failureWindow =
      monitoringWindow === undefined ? undefined : new TimeWindow(monitoringWindow);
    this.#windowsNeedTime = slidingWindow.type === 'time' || monitoringWindow !== undefined;
    this.#rateRules = hasRateRules(this.#options);
    // The slow-call rule needs every call's duration; otherwise sampling keeps the clock off most calls.
    this.#timingInterval =
      this.#options.slowCallRateThreshold === undefined ? this.#options.latencySampling : 1;
    this.#state = { name: 'closed', since: this.#clock.monotonic() };
  }

  /** The current state's name (an elapsed open period turns half-open only when a call arrives). */
  get state(): StateName {
    return this.#state.name;
  }

  /** The options in force, defaults applied. */
  get options(): ResolvedOptions {
    return this.#options;
  }

  /**
   * Runs `fn(signal)` through the breaker. Rejects with {@link CircuitOpenError}
   * without calling `fn` while the circuit is open, with {@link CallTimeoutError}
   * when `timeout` elapses, and otherwise settles exactly as `fn` does.
   */
  execute<T>(fn: Operation<T>, options?: ExecuteOptions): Promise<T> {
    if (typeof fn !== 'function') {
      return Promise.reject(new TypeError(`execute() on '${this.name}' needs a function`));
    }
    const timeout = options?.timeout ?? this.#options.timeout;
    const signal = options?.signal;
    if (options !== undefined) {
      const problem = checkExecuteOptions(options);
      if (problem) return Promise.reject(problem);
      if (signal?.aborted) return Promise.reject(signal.reason);
    }
    const state = this.#state;
    if (state.name !== 'closed' && state.name !== 'disabled') {
      const rejection = this.#admitTrial(state);
      if (rejection !== undefined) return Promise.reject(rejection);
    }
    if (timeout === undefined && signal === undefined) return this.#run(fn, this.#state);
    return this.#runGuarded(fn, this.#state, timeout, signal);
  }

  /** Subscribes to an event; returns the function that unsubscribes. */
  on<K extends keyof BreakerEvents>(
    type: K,
    listener: (event: BreakerEvents[K]) => void,
  ): Unsubscribe {
    if (!eventTypes.has(type)) {
      throw new TypeError(
        `Unknown breaker event '${String(type)}' (known: ${[...eventTypes].join(', ')})`,
      );
    }
    this.#events ??= new Emitter((error, during) => this.#reportListenerError(error, during));
    return this.#events.on(type, listener);
  }

  /** Rejects every call until {@link release}. */
  forceOpen(): void {
    if (this.#state.name !== 'forced-open') this.#enter('forced-open', 'manual');
  }

  /** Lets every call through without tripping (outcomes are still recorded) until {@link release}. */
  disable(): void {
    if (this.#state.name !== 'disabled') this.#enter('disabled', 'manual');
  }

  /** Ends `forceOpen()` or `disable()`: the breaker closes and its rules apply again. */
  release(): void {
    const { name } = this.#state;
    if (name === 'forced-open' || name === 'disabled') {
      this.#enter('closed', 'manual');
    }
  }

  /** Closes the circuit and forgets failures, recovery attempts and backoff (lifetime totals stay). */
  reset(): void {
    this.#recovery.restart();
    if (this.#state.name === 'closed') this.#clearCounts();
    else this.#enter('closed', 'manual');
  }

  /** A plain JSON-safe snapshot of the breaker. */
  status(): BreakerStatus {
    const now = this.#clock.monotonic();
    const wallNow = this.#clock.now();
    this.#endEpisodeIfHealthy(now);
    this.#window.expire(now);
    this.#failureWindow?.expire(now);
    const state = this.#state;
    const stats = this.#stats;
    const recovery = this.#recovery;
    const window = this.#window;
    const failures = this.#failureCount();
    const recoveryIn = state.name === 'open' ? Math.max(0, state.openUntil - now) : null;
    const halfOpen = state.name === 'half-open' ? state : undefined;
    const progress = `${halfOpen?.successes ?? 0}/${this.#options.successThreshold} successful trials`;
    return {
      name: this.name,
      state: state.name,
      status: state.name,
      details: describeState(state.name, failures, recoveryIn, progress),
      failures,
      failureCount: failures,
      successes: this.#consecutiveSuccesses,
      lastFailure: isoTime(stats.lastFailureAt),
      lastFailureTime: stats.lastFailureAt ?? null,
      lastError: stats.lastError ?? null,
      recoveryAttempts: recovery.attempts,
      lastRecoveryAttempt: isoTime(recovery.lastAttemptAt),
      failedRecoveries: recovery.failed,
      currentResetTimeout: recovery.openPeriod(this.#options),
      openUntil: state.name === 'open' ? isoTime(wallNow + (state.openUntil - now)) : null,
      recoveryIn,
      totalAttempts: stats.totalAttempts,
      totalSuccesses: stats.totalSuccesses,
      totalFailures: stats.totalFailures,
      totalIgnored: stats.totalIgnored,
      rejected: stats.rejected,
      timeouts: stats.timeouts,
      halfOpenInFlight: halfOpen?.inFlight ?? 0,
      timeInCurrentState: now - state.since,
      failureRate: window.calls === 0 ? 0 : window.failures / window.calls,
      slowCallRate: window.timedCalls === 0 ? 0 : window.slowCalls / window.timedCalls,
      windowCalls: window.calls,
      latency: stats.latency.percentiles(),
      failuresByError: stats.failuresByError(),
      transitions: stats.transitions,
      timeInState: stats.timeInState(state.name, now - state.since),
      recoverySuccessRate: recovery.successRate(),
    };
  }

  // ── the call path ──────────────────────────────────────────────────────

  /** Admission outside closed/disabled: a rejection, or undefined once a trial permit is taken. */
  #admitTrial(state: CircuitState): CircuitOpenError | undefined {
    switch (state.name) {
      case 'open': {
        const now = this.#clock.monotonic();
        if (now < state.openUntil) return this.#reject('open', state.openUntil - now);
        return this.#takePermit(this.#enterHalfOpen(now));
      }
      case 'half-open':
        return this.#takePermit(state);
      case 'forced-open':
        return this.#reject('forced-open', undefined);
      case 'closed':
      case 'disabled':
        return undefined;
    }
  }

  #takePermit(state: HalfOpenState): CircuitOpenError | undefined {
    if (state.inFlight >= this.#options.halfOpenMaxCalls) return this.#reject('half-open', 0);
    state.inFlight++;
    return undefined;
  }

  #reject(state: RejectingState, retryAfter: number | undefined): CircuitOpenError {
    this.#stats.rejected++;
    if (this.#events?.has('rejected')) {
      this.#events.emit('rejected', {
        type: 'rejected',
        breaker: this.name,
        at: this.#clock.now(),
        state,
        retryAfter,
      });
    }
    return createCircuitOpenError(this.name, state, retryAfter, this.#options.captureStackTrace);
  }

  /** The common path: no timeout, no caller signal. Returns `fn`'s own promise, observed on the side. */
  #run<T>(fn: Operation<T>, state: CircuitState): Promise<T> {
    this.#stats.totalAttempts++;
    const start = this.#startTiming();
    let result: T | PromiseLike<T>;
    try {
      result = fn(neverAbortedSignal);
    } catch (error) {
      this.#settleFailure(error, start, state, false);
      return Promise.reject(error);
    }
    const promise = (result instanceof Promise ? result : Promise.resolve(result)) as Promise<T>;
    // Our handlers are attached first, so the outcome is recorded before the caller resumes.
    if (start < 0) {
      const settlers = this.#untimedSettlers(state);
      promise.then(settlers.success, settlers.failure);
    } else {
      promise.then(
        (value) => this.#settleSuccess(value, start, state),
        (error: unknown) => this.#settleFailure(error, start, state, false),
      );
    }
    return promise;
  }

  /**
   * Completion handlers for untimed calls depend only on the state the call
   * started in, so one pair per state serves them all: no closure per call.
   */
  #untimedSettlers(state: CircuitState): Settlers {
    let settlers = this.#settlers;
    if (settlers === undefined || settlers.state !== state) {
      settlers = {
        state,
        success: (value) => this.#settleSuccess(value, -1, state),
        failure: (error) => this.#settleFailure(error, -1, state, false),
      };
      this.#settlers = settlers;
    }
    return settlers;
  }

  /** A call with a timeout and/or a caller signal: whichever of completion, timeout or abort comes first wins. */
  #runGuarded<T>(
    fn: Operation<T>,
    state: CircuitState,
    timeout: number | undefined,
    callerSignal: AbortSignal | undefined,
  ): Promise<T> {
    this.#stats.totalAttempts++;
    const start = this.#startTiming();
    const clock = this.#clock;
    // Only a function that declares a parameter can see the signal: skip the costly controller otherwise.
    const controller = timeout !== undefined && fn.length > 0 ? new AbortController() : undefined;
    const signal = controller?.signal ?? callerSignal ?? neverAbortedSignal;
    return new Promise<T>((resolve, reject) => {
      let timer: TimerHandle | undefined;
      let settled = false;
      const finish = (): boolean => {
        if (settled) return false;
        settled = true;
        if (timer !== undefined) clock.clearTimeout(timer);
        callerSignal?.removeEventListener('abort', onCallerAbort);
        return true;
      };
      const onCallerAbort = (): void => {
        if (!finish()) return;
        const reason: unknown = callerSignal?.reason;
        controller?.abort(reason);
        this.#settleCancelled(state);
        reject(reason);
      };
      callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
      if (timeout !== undefined) {
        timer = clock.setTimeout(() => {
          if (!finish()) return;
          const error = new CallTimeoutError(this.name, timeout);
          controller?.abort(error);
          this.#settleTimeout(error, start, state);
          reject(error);
        }, timeout);
      }
      let result: T | PromiseLike<T>;
      try {
        result = fn(signal);
      } catch (error) {
        if (finish()) {
          this.#settleFailure(error, start, state, false);
          reject(error);
        }
        return;
      }
      Promise.resolve(result).then(
        (value) => {
          if (!finish()) return;
          this.#settleSuccess(value, start, state);
          resolve(value);
        },
        (error: unknown) => {
          if (!finish()) return;
          this.#settleFailure(error, start, state, false);
          reject(error);
        },
      );
    });
  }

  /** Monotonic start time of a timed call, or -1 for a call that is not timed. */
  #startTiming(): number {
    if (--this.#untilTimedCall > 0) return -1;
    this.#untilTimedCall = this.#timingInterval;
    return this.#clock.monotonic();
  }

  #settleSuccess(value: unknown, start: number, state: CircuitState): void {
    const judge = this.#options.isResultFailure;
    if (judge !== undefined && this.#judgedFailure(judge, value)) {
      this.#settleFailure(resultFailure, start, state, true);
      return;
    }
    const end = start >= 0 || this.#windowsNeedTime ? this.#clock.monotonic() : -1;
    const duration = start >= 0 ? end - start : undefined;
    const stats = this.#stats;
    stats.totalSuccesses++;
    if (duration !== undefined) stats.latency.record(duration);
    if (this.#events?.has('success')) {
      this.#events.emit('success', {
        type: 'success',
        breaker: this.name,
        at: this.#clock.now(),
        duration,
      });
    }
    if (state !== this.#state) return; // a completion from a state already left
    this.#consecutiveFailures = 0;
    this.#consecutiveSuccesses++;
    switch (state.name) {
      case 'closed':
      case 'disabled': {
        this.#window.record(this.#flags(duration, 0), end);
        if (state.name === 'closed' && this.#rateRules) {
          const reason = findRateTripReason(this.#options, this.#window);
          if (reason !== undefined) this.#trip(reason);
        }
        return;
      }
      case 'half-open':
        state.inFlight--;
        state.successes++;
        if (state.successes >= this.#options.successThreshold) {
          this.#recovery.recordSuccess();
          this.#enter('closed', 'half-open-success');
        }
        return;
      case 'open':
      case 'forced-open':
        return;
    }
  }

  /** `counted`: already known to be a failure (timeouts, judged results); else `isFailure` decides. */
  #settleFailure(error: unknown, start: number, state: CircuitState, counted: boolean): void {
    if (!counted && !this.#isFailure(error)) {
      this.#settleCancelled(state);
      return;
    }
    const clock = this.#clock;
    const end = start >= 0 || this.#windowsNeedTime ? clock.monotonic() : -1;
    const duration = start >= 0 ? end - start : undefined;
    const stats = this.#stats;
    const wallNow = clock.now();
    stats.recordFailure(error, wallNow);
    if (duration !== undefined) stats.latency.record(duration);
    if (this.#events?.has('failure')) {
      this.#events.emit('failure', {
        type: 'failure',
        breaker: this.name,
        at: wallNow,
        error,
        duration,
      });
    }
    if (state !== this.#state) return;
    this.#consecutiveSuccesses = 0;
    this.#consecutiveFailures++;
    switch (state.name) {
      case 'closed':
      case 'disabled': {
        this.#failureWindow?.record(outcomeFlags.failure, end);
        this.#window.record(this.#flags(duration, outcomeFlags.failure), end);
        if (state.name === 'closed') {
          const reason = findTripReason(this.#options, this.#failureCount(), this.#window);
          if (reason !== undefined) this.#trip(reason);
        }
        return;
      }
      case 'half-open':
        state.inFlight--;
        this.#reopen();
        return;
      case 'open':
      case 'forced-open':
        return;
    }
  }

  #settleTimeout(error: CallTimeoutError, start: number, state: CircuitState): void {
    this.#stats.timeouts++;
    if (this.#events?.has('timeout')) {
      this.#events.emit('timeout', {
        type: 'timeout',
        breaker: this.name,
        at: this.#clock.now(),
        timeout: error.timeout,
      });
    }
    this.#settleFailure(error, start, state, true);
  }

  /** A call that ended as neither success nor failure (ignored error, caller abort). */
  #settleCancelled(state: CircuitState): void {
    this.#stats.totalIgnored++;
    if (state === this.#state && state.name === 'half-open') state.inFlight--;
  }

  #flags(duration: number | undefined, failure: number): number {
    if (duration === undefined) return failure;
    const slow = duration > this.#options.slowCallDuration ? outcomeFlags.slow : 0;
    return failure | outcomeFlags.timed | slow;
  }

  #isFailure(error: unknown): boolean {
    for (const ignored of this.#options.ignoredErrors) {
      if (error instanceof ignored) return false;
    }
    const decide = this.#options.isFailure;
    if (decide === undefined) return true;
    try {
      return decide(error) !== false;
    } catch {
      return true; // a classifier that throws must not hide a failure
    }
  }

  #judgedFailure(judge: (result: unknown) => boolean, value: unknown): boolean {
    try {
      return judge(value) === true;
    } catch {
      return true;
    }
  }

  #failureCount(): number {
    return this.#failureWindow === undefined
      ? this.#consecutiveFailures
      : this.#failureWindow.failures;
  }

  // ── transitions ────────────────────────────────────────────────────────

  #trip(reason: TripReason): void {
    const now = this.#clock.monotonic();
    this.#endEpisodeIfHealthy(now);
    const openUntil = now + this.#recovery.openPeriod(this.#options);
    this.#transition({ name: 'open', since: now, openUntil }, reason, now);
  }

  #reopen(): void {
    const exhausted = this.#recovery.recordFailure(this.#options);
    const now = this.#clock.monotonic();
    const period = this.#recovery.openPeriod(this.#options);
    this.#transition(
      { name: 'open', since: now, openUntil: now + period },
      'half-open-failure',
      now,
    );
    if (exhausted && this.#events?.has('recoveryExhausted')) {
      this.#events.emit('recoveryExhausted', {
        type: 'recoveryExhausted',
        breaker: this.name,
        at: this.#clock.now(),
        failedRecoveries: this.#recovery.failed,
        nextResetTimeout: period,
      });
    }
  }

  #enterHalfOpen(now: number): HalfOpenState {
    this.#recovery.attempted(this.#clock.now());
    const state: HalfOpenState = { name: 'half-open', since: now, inFlight: 0, successes: 0 };
    this.#transition(state, 'reset-timeout-elapsed', now);
    return state;
  }

  /** Starts recovery bookkeeping afresh once the circuit has been closed for `minHealthyPeriod`. */
  #endEpisodeIfHealthy(now: number): void {
    const state = this.#state;
    if (state.name === 'closed' && now - state.since >= this.#options.minHealthyPeriod) {
      this.#recovery.restart();
    }
  }

  /** Enters a state whose only data is the time it was entered. */
  #enter(name: 'closed' | 'forced-open' | 'disabled', reason: TransitionReason): void {
    const now = this.#clock.monotonic();
    this.#transition({ name, since: now }, reason, now);
  }

  /** The one place a state is replaced: bookkeeping, then exactly one `stateChange` event. */
  #transition(next: CircuitState, reason: TransitionReason, now: number): void {
    const from = this.#state;
    this.#stats.addTimeInState(from.name, now - from.since);
    this.#stats.transitions++;
    this.#state = next;
    if (next.name === 'closed') this.#clearCounts();
    if (next.name === 'half-open') this.#consecutiveSuccesses = 0;
    if (this.#events?.has('stateChange')) {
      this.#events.emit('stateChange', {
        type: 'stateChange',
        breaker: this.name,
        at: this.#clock.now(),
        from: from.name,
        to: next.name,
        reason,
      });
    }
  }

  #clearCounts(): void {
    this.#consecutiveFailures = 0;
    this.#consecutiveSuccesses = 0;
    this.#window.clear();
    this.#failureWindow?.clear();
  }

  #reportListenerError(error: unknown, during: keyof BreakerEvents): void {
    if (during !== 'error' && this.#events?.has('error')) {
      this.#events.emit('error', {
        type: 'error',
        breaker: this.name,
        at: this.#clock.now(),
        error,
        during,
      });
      return;
    }
    console.error(`[breakwater] a '${during}' listener of breaker '${this.name}' threw:`, error);
  }
}

function checkExecuteOptions(options: ExecuteOptions): ConfigError | undefined {
  const { timeout, signal } = options;
  if (
    timeout !== undefined &&
    !(typeof timeout === 'number' && timeout > 0 && Number.isFinite(timeout))
  ) {
    return new ConfigError('timeout', timeout, 'a duration in milliseconds > 0');
  }
  if (
    signal !== undefined &&
    (typeof signal !== 'object' || signal === null || !('aborted' in signal))
  ) {
    return new ConfigError('signal', signal, 'an AbortSignal');
  }
  return undefined;
}
