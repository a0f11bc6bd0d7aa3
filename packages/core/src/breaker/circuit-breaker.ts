import type { Clock } from '../clock/clock';
import { CallTimeoutError } from '../errors/call-timeout-error';
import {
  type CircuitOpenError,
  createCircuitOpenError,
  type RejectingState,
} from '../errors/circuit-open-error';
import { ConfigError } from '../errors/config-error';
import { Emitter, type Unsubscribe } from '../events/emitter';
import { checkExecuteOptions } from '../options/option-checks';
import { CountWindow } from '../window/count-window';
import type { LatencyDistribution } from '../window/latency-histogram';
import { type OutcomeWindow, outcomeFlags } from '../window/outcome-window';
import { TimeWindow } from '../window/time-window';
import { type AdaptiveThreshold, adaptiveThresholdFor } from './adaptive-threshold';
import { type BreakerEvents, breakerEventTypes } from './breaker-events';
import type {
  CircuitBreakerOptions,
  ResolvedOptions,
  SlidingWindowOptions,
} from './breaker-options';
import {
  type BreakerRecord,
  recordOf,
  stateFromRecord,
  takeRecovery,
  takeTotals,
} from './breaker-record';
import { BreakerStats } from './breaker-stats';
import { type BreakerStatus, buildStatus } from './breaker-status';
import { checkRecord } from './check-record';
import {
  type CircuitState,
  type GuardingState,
  type HalfOpenState,
  type OpenState,
  type StateName,
  type TransitionReason,
  Trial,
  type TripReason,
} from './circuit-state';
import { callSignal, type Operation, runGuardedCall } from './guarded-call';
import {
  countsAsFailure,
  flagsOf,
  resultCountsAsFailure,
  resultFailure,
} from './outcome-classifier';
import { Recovery } from './recovery';
import { rejectSoon } from './reject-soon';
import { resolveOptions } from './resolve-options';
import { findRateTripReason, findTripReason, hasRateRules } from './trip-rules';

export type { Operation } from './guarded-call';

/** Per-call options of {@link CircuitBreaker.execute}. */
export interface ExecuteOptions {
  /** Abort the call after this many ms and count it as a failure. Overrides the breaker's `timeout`. */
  readonly timeout?: number;
  /** The caller's signal: aborting it aborts the call, which then counts as neither success nor failure. */
  readonly signal?: AbortSignal;
}

/** The completion handlers shared by the untimed calls started in one state. */
interface Settlers {
  readonly state: CircuitState;
  readonly success: (value: unknown) => void;
  readonly failure: (error: unknown) => void;
  /**
   * Returns the plain successes (see `#plainState`) counted since the last
   * take and starts again from zero: they are only counted as they come,
   * and added to the breaker's counts when something needs those.
   */
  readonly takePlainSuccesses: () => number;
}

type EventFields<K extends keyof BreakerEvents> = Omit<BreakerEvents[K], 'type' | 'breaker' | 'at'>;

const eventTypes: ReadonlySet<string> = new Set(breakerEventTypes);

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
  #options: ResolvedOptions;
  /** The options as given (before defaults), so `reconfigure` can merge changes into them. */
  #given: CircuitBreakerOptions;
  readonly #clock: Clock;
  #state: CircuitState;
  #events: Emitter<BreakerEvents> | undefined;
  readonly #stats = new BreakerStats();
  readonly #recovery = new Recovery();
  /** The sliding window the rate rules and the status' rates read. */
  #window: OutcomeWindow;
  /** Failures inside `monitoringWindow`, when that option is set. */
  #failureWindow: TimeWindow | undefined;
  #consecutiveFailures = 0;
  #consecutiveSuccesses = 0;
  #settlers: Settlers | undefined;
  /** Calls left until the next timed one (see `latencySampling`). */
  #untilTimedCall = 1;
  // Derived from the options by #deriveCallPlan(), so the call path tests plain fields.
  #timingInterval = 1;
  #windowsNeedTime = false;
  #rateRules = false;
  /** The closed state while calls without options need no timer: `execute`'s short path. */
  #fastState: CircuitState | undefined;
  /**
   * The closed state while its untimed successes only need counting (by
   * their settlers, until `#catchUp`): no result judge, no time-based
   * window, no rate rule, no `success` listener.
   */
  #plainState: CircuitState | undefined;
  /** The learned threshold, only when the `adaptive` option is set. */
  #adaptive: AdaptiveThreshold | undefined;

  constructor(name: string, options?: CircuitBreakerOptions) {
    if (typeof name !== 'string' || name.length === 0) {
      throw new ConfigError('name', name, 'a non-empty string');
    }
    this.name = name;
    this.#options = resolveOptions(options);
    this.#given = options ?? {};
    this.#clock = this.#options.clock;
    this.#window = createWindow(this.#options.slidingWindow);
    this.#failureWindow = createFailureWindow(this.#options.monitoringWindow);
    this.#adaptive = adaptiveThresholdFor(undefined, this.#options);
    this.#state = { name: 'closed', since: this.#clock.monotonic() };
    this.#deriveCallPlan();
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
   * without calling `fn` while the circuit is open, with `CallTimeoutError`
   * when `timeout` elapses, and otherwise settles exactly as `fn` does.
   */
  execute<T>(fn: Operation<T>, options?: ExecuteOptions): Promise<T> {
    const state = this.#state;
    // Nearly every call: closed, no per-call options, nothing timed by default.
    if (options === undefined && state === this.#fastState && typeof fn === 'function') {
      return this.#run(fn, state);
    }
    return this.#executeChecked(fn, options);
  }

  /** `execute` for every other call: checks its options, admits trials, times it out. */
  #executeChecked<T>(fn: Operation<T>, options: ExecuteOptions | undefined): Promise<T> {
    if (typeof fn !== 'function') {
      return Promise.reject(
        new ConfigError('fn', fn, `a function (execute() on '${this.name}' needs a function)`),
      );
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
      const admitted = this.#admitTrial(state, timeout);
      if (!(admitted instanceof Trial)) return rejectSoon(admitted);
      return this.#runGuarded(fn, this.#state, timeout, signal, admitted);
    }
    if (timeout === undefined && signal === undefined) return this.#run(fn, state);
    return this.#runGuarded(fn, state, timeout, signal);
  }

  /** Subscribes to an event; returns the function that unsubscribes. */
  on<K extends keyof BreakerEvents>(
    type: K,
    listener: (event: BreakerEvents[K]) => void,
  ): Unsubscribe {
    if (!eventTypes.has(type)) {
      throw new ConfigError('type', type, `a breaker event: ${[...eventTypes].join(', ')}`);
    }
    this.#events ??= new Emitter((error, during) => this.#reportListenerError(error, during));
    const unsubscribe = this.#events.on(type, listener);
    if (type === 'success') this.#refreshShortPaths(); // plain successes publish nothing
    return unsubscribe;
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
    if (name === 'forced-open' || name === 'disabled') this.#enter('closed', 'manual');
  }

  /** Closes the circuit and forgets failures, recovery attempts and backoff (lifetime totals stay). */
  reset(): void {
    this.#catchUp();
    this.#recovery.restart();
    if (this.#state.name === 'closed') this.#clearCounts();
    else this.#enter('closed', 'manual');
  }

  /**
   * Changes options at run time, keeping the state, the counts and the totals.
   * The changes are merged into the options given so far and validated as a
   * whole: a bad value throws a `ConfigError` and changes nothing. A new
   * `slidingWindow` or `monitoringWindow` starts that window empty; a running
   * open period keeps its end. The clock cannot change.
   */
  reconfigure(changes: CircuitBreakerOptions): void {
    if (typeof changes !== 'object' || changes === null) {
      throw new ConfigError('options', changes, 'an object of options to change');
    }
    if (changes.clock !== undefined && changes.clock !== this.#clock) {
      throw new ConfigError(
        'clock',
        changes.clock,
        'the same clock (a breaker cannot change clocks)',
      );
    }
    const given = { ...this.#given, ...changes };
    const next = resolveOptions(given);
    const previous = this.#options;
    this.#catchUp(); // into the window about to be replaced, and under the rules they were made under
    if (!sameWindow(next.slidingWindow, previous.slidingWindow))
      this.#window = createWindow(next.slidingWindow);
    if (next.monitoringWindow !== previous.monitoringWindow) {
      this.#failureWindow = createFailureWindow(next.monitoringWindow);
    }
    this.#options = next;
    this.#adaptive = adaptiveThresholdFor(this.#adaptive, next, previous);
    this.#given = given;
    this.#deriveCallPlan();
  }

  /** A plain JSON-safe snapshot of the breaker. */
  status(): BreakerStatus {
    this.#catchUp();
    const now = this.#clock.monotonic();
    this.#expireTrials(now);
    this.#endEpisodeIfHealthy(now);
    this.#window.expire(now);
    this.#failureWindow?.expire(now);
    return buildStatus({
      name: this.name,
      state: this.#state,
      now,
      wallNow: this.#clock.now(),
      failures: this.#failureCount(),
      successes: this.#consecutiveSuccesses,
      options: this.#options,
      stats: this.#stats,
      recovery: this.#recovery,
      window: this.#window,
    });
  }

  /**
   * How the timed calls' durations fall against `boundsMs` (ascending):
   * cumulative counts, sample count and sum — what a metrics exporter needs,
   * read when it scrapes rather than from an event per call.
   */
  latencyDistribution(boundsMs: readonly number[]): LatencyDistribution {
    return this.#stats.latency.distribution(boundsMs);
  }

  /** What a store keeps of this breaker (see {@link BreakerRecord}); `version` is the caller's. */
  toRecord(version = 0): BreakerRecord {
    this.#catchUp();
    const now = this.#clock.monotonic();
    this.#expireTrials(now);
    this.#endEpisodeIfHealthy(now);
    const clocks = { now, wallNow: this.#clock.now() };
    return recordOf(this.name, version, this.#state, clocks, this.#stats, this.#recovery);
  }

  /**
   * Takes up a record saved by {@link toRecord} (after a restart, or from
   * another process): the state — an open circuit stays open until the
   * record's wall-clock `openUntil` —, recovery counters and totals. Emits
   * `stateChange` with reason `restored` when the state changes. A malformed
   * record throws a `ConfigError` naming the bad field and changes nothing.
   */
  restore(record: BreakerRecord): void {
    checkRecord(record);
    this.#catchUp();
    const now = this.#clock.monotonic();
    const next = stateFromRecord(record, now, this.#clock.now());
    takeTotals(this.#stats, record);
    takeRecovery(this.#recovery, record);
    if (next.name === this.#state.name && next.name === 'closed') return;
    this.#transition(next, 'restored', now);
  }

  /**
   * Takes up the state of a record published by another instance sharing
   * this breaker: the state (an open period keeps its wall-clock end) and the
   * recovery counters, so every instance backs off alike. This instance's
   * own totals stay. Emits `stateChange` with reason `shared` when the state
   * changes; an open period that moved only changes its end. A malformed
   * record throws a `ConfigError` and changes nothing.
   */
  adopt(record: BreakerRecord): void {
    checkRecord(record);
    const now = this.#clock.monotonic();
    const next = stateFromRecord(record, now, this.#clock.now());
    takeRecovery(this.#recovery, record);
    const current = this.#state;
    if (next.name === current.name) {
      // An open circuit admits no call, so no call holds on to the state replaced here.
      if (next.name === 'open') this.#state = next;
      return;
    }
    this.#transition(next, 'shared', now);
  }

  // ── admission ──────────────────────────────────────────────────────────

  /** Admission outside closed/disabled: a rejection, or the trial the call runs as. */
  #admitTrial(state: GuardingState, timeout: number | undefined): CircuitOpenError | Trial {
    switch (state.name) {
      case 'open': {
        const now = this.#clock.monotonic();
        if (now < state.openUntil) return this.#reject('open', state.openUntil - now);
        return this.#takePermit(this.#enterHalfOpen(now), now, timeout);
      }
      case 'half-open': {
        const now = this.#clock.monotonic();
        // A hung trial is given up here, lazily: the circuit reopens and this call is rejected.
        const reopened = this.#expireTrials(now);
        if (reopened !== undefined) return this.#reject('open', reopened.openUntil - now);
        return this.#takePermit(state, now, timeout);
      }
      case 'forced-open':
        return this.#reject('forced-open', undefined);
    }
  }

  #takePermit(
    state: HalfOpenState,
    now: number,
    timeout: number | undefined,
  ): CircuitOpenError | Trial {
    const options = this.#options;
    if (state.trials.length >= options.halfOpenMaxCalls) return this.#reject('half-open', 0);
    if (options.trialPermits !== undefined && !options.trialPermits.tryAcquire()) {
      return this.#reject('half-open', 0);
    }
    // Never below the call's own timeout, so a trial is not given up while it may still succeed.
    const trial = new Trial(now, Math.max(options.trialTimeout, timeout ?? 0));
    state.trials.push(trial);
    return trial;
  }

  /**
   * Gives up a trial that ran past its deadline: it counts as a failed trial
   * and the circuit reopens with backoff. Checked when a call arrives or the
   * status is read, so no timer is needed. Returns the open state it entered.
   */
  #expireTrials(now: number): OpenState | undefined {
    const state = this.#state;
    if (state.name !== 'half-open' || state.trials.length === 0) return undefined;
    const expired = state.trials.find((trial) => trial.deadline <= now);
    if (expired === undefined) return undefined;
    endTrial(state, expired);
    this.#options.trialPermits?.release('failure');
    const error = new CallTimeoutError(this.name, expired.limit);
    this.#stats.recordFailure(error, this.#clock.now());
    if (this.#events?.has('failure')) this.#publish('failure', { error, duration: expired.limit });
    this.#consecutiveSuccesses = 0;
    this.#consecutiveFailures++;
    return this.#reopen('trial-timeout');
  }

  #reject(state: RejectingState, retryAfter: number | undefined): CircuitOpenError {
    this.#stats.rejected++;
    if (this.#events?.has('rejected')) this.#publish('rejected', { state, retryAfter });
    return createCircuitOpenError(this.name, state, retryAfter, this.#options.captureStackTrace);
  }

  // ── the call path ──────────────────────────────────────────────────────

  /** The common path: no timeout, no caller signal. Returns `fn`'s own promise, observed on the side. */
  #run<T>(fn: Operation<T>, state: CircuitState): Promise<T> {
    this.#stats.totalAttempts++;
    const start = this.#startTiming();
    let result: T | PromiseLike<T>;
    try {
      result = fn(callSignal(fn));
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
      this.#watchTimed(promise, start, state);
    }
    return promise;
  }

  /**
   * Observes a timed call. Apart from `#run` because its closures capture
   * `start` and `state`: inside `#run`, every call would pay for the context
   * they need, timed or not.
   */
  #watchTimed(promise: Promise<unknown>, start: number, state: CircuitState): void {
    promise.then(
      (value) => this.#settleSuccess(value, start, state),
      (error: unknown) => this.#settleFailure(error, start, state, false),
    );
  }

  /**
   * A call with a timeout and/or a caller signal, or a half-open trial. A
   * trial given up at its deadline (`#expireTrials`) has ended already, so
   * whatever it does later is ignored; trials are rare, so the extra check
   * costs nothing that matters.
   */
  #runGuarded<T>(
    fn: Operation<T>,
    state: CircuitState,
    timeout: number | undefined,
    callerSignal: AbortSignal | undefined,
    trial?: Trial,
  ): Promise<T> {
    this.#stats.totalAttempts++;
    const start = this.#startTiming();
    const settings = { breaker: this.name, clock: this.#clock, timeout, callerSignal };
    const live = (): boolean =>
      trial === undefined || (state.name === 'half-open' && endTrial(state, trial));
    return runGuardedCall(fn, settings, {
      success: (value) => {
        if (live()) this.#settleSuccess(value, start, state);
      },
      failure: (error) => {
        if (live()) this.#settleFailure(error, start, state, false);
      },
      timeout: (error) => {
        if (live()) this.#settleTimeout(error, start, state);
      },
      cancelled: () => {
        if (live()) this.#settleCancelled(state);
      },
    });
  }

  /**
   * Completion handlers for untimed calls depend only on the state the call
   * started in, so one pair per state serves them all: no closure per call.
   */
  #untimedSettlers(state: CircuitState): Settlers {
    let settlers = this.#settlers;
    if (settlers === undefined || settlers.state !== state) {
      // Counted in this closure: the same count in a breaker field costs ~3 ns more a call.
      let plainSuccesses = 0;
      settlers = {
        state,
        success: (value) => {
          if (state === this.#plainState) plainSuccesses++;
          else this.#settleSuccess(value, -1, state);
        },
        failure: (error) => this.#settleFailure(error, -1, state, false),
        takePlainSuccesses: () => {
          const taken = plainSuccesses;
          plainSuccesses = 0;
          return taken;
        },
      };
      this.#settlers = settlers;
    }
    return settlers;
  }

  /** Monotonic start time of a timed call, or -1 for a call that is not timed. */
  #startTiming(): number {
    if (--this.#untilTimedCall > 0) return -1;
    this.#untilTimedCall = this.#timingInterval;
    return this.#clock.monotonic();
  }

  /**
   * Adds the plain successes the call path only counted to the totals, the
   * consecutive counts and the window. Runs before anything reads or
   * changes those, so adding them late changes nothing anyone can see.
   */
  #catchUp(): void {
    // They can only be pending in the current state's settlers: the
    // settlers change only after a transition, which caught up first.
    const successes = this.#settlers?.takePlainSuccesses() ?? 0;
    if (successes === 0) return;
    this.#stats.totalSuccesses += successes;
    this.#consecutiveFailures = 0;
    this.#consecutiveSuccesses += successes;
    this.#window.recordSuccesses(successes, -1); // a count window: no time needed (see #plainState)
  }

  #deriveCallPlan(): void {
    const options = this.#options;
    this.#windowsNeedTime =
      options.slidingWindow.type === 'time' || options.monitoringWindow !== undefined;
    this.#rateRules = hasRateRules(options);
    this.#refreshShortPaths();
    // The slow-call rule needs every call's duration; otherwise sampling keeps the clock off most calls.
    this.#timingInterval =
      options.slowCallRateThreshold === undefined ? options.latencySampling : 1;
    this.#untilTimedCall = Math.min(this.#untilTimedCall, this.#timingInterval);
  }

  /** Points the short paths at the current state, or at nothing when it needs the full checks. */
  #refreshShortPaths(): void {
    const state = this.#state;
    const options = this.#options;
    const closed = state.name === 'closed';
    const plain =
      options.isResultFailure === undefined &&
      !this.#windowsNeedTime &&
      !this.#rateRules &&
      this.#events?.has('success') !== true;
    this.#fastState = closed && options.timeout === undefined ? state : undefined;
    this.#plainState = closed && plain ? state : undefined;
  }

  #settleSuccess(value: unknown, start: number, state: CircuitState): void {
    this.#catchUp();
    const options = this.#options;
    if (options.isResultFailure !== undefined && resultCountsAsFailure(options, value)) {
      this.#settleFailure(resultFailure, start, state, true);
      return;
    }
    if (state.name === 'half-open') options.trialPermits?.release('success');
    const end = start >= 0 || this.#windowsNeedTime ? this.#clock.monotonic() : -1;
    const duration = start >= 0 ? end - start : undefined;
    this.#stats.totalSuccesses++;
    if (duration !== undefined) this.#stats.latency.record(duration);
    if (this.#events?.has('success')) this.#publish('success', { duration });
    if (state !== this.#state) return; // a completion from a state already left
    this.#consecutiveFailures = 0;
    this.#consecutiveSuccesses++;
    switch (state.name) {
      case 'closed':
      case 'disabled': {
        this.#window.record(flagsOf(options, duration, false), end);
        if (state.name === 'closed' && this.#rateRules) {
          const reason =
            this.#adaptive === undefined
              ? findRateTripReason(options, this.#window)
              : this.#adaptive.judge(options, this.#window, end);
          if (reason !== undefined) this.#trip(reason);
        }
        return;
      }
      case 'half-open':
        state.successes++;
        if (state.successes >= options.successThreshold) {
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
    this.#catchUp();
    const options = this.#options;
    if (!counted && !countsAsFailure(options, error)) {
      this.#settleCancelled(state);
      return;
    }
    if (state.name === 'half-open') options.trialPermits?.release('failure');
    const end = start >= 0 || this.#windowsNeedTime ? this.#clock.monotonic() : -1;
    const duration = start >= 0 ? end - start : undefined;
    this.#stats.recordFailure(error, this.#clock.now());
    if (duration !== undefined) this.#stats.latency.record(duration);
    if (this.#events?.has('failure')) this.#publish('failure', { error, duration });
    if (state !== this.#state) return;
    this.#consecutiveSuccesses = 0;
    this.#consecutiveFailures++;
    switch (state.name) {
      case 'closed':
      case 'disabled': {
        this.#failureWindow?.record(outcomeFlags.failure, end);
        this.#window.record(flagsOf(options, duration, true), end);
        if (state.name === 'closed') {
          const reason =
            this.#adaptive === undefined
              ? findTripReason(options, this.#failureCount(), this.#window)
              : this.#adaptive.judge(options, this.#window, end);
          if (reason !== undefined) this.#trip(reason);
        }
        return;
      }
      case 'half-open':
        this.#reopen('half-open-failure');
        return;
      case 'open':
      case 'forced-open':
        return;
    }
  }

  #settleTimeout(error: CallTimeoutError, start: number, state: CircuitState): void {
    this.#stats.timeouts++;
    if (this.#events?.has('timeout')) this.#publish('timeout', { timeout: error.timeout });
    this.#settleFailure(error, start, state, true);
  }

  /** A call that ended as neither success nor failure (ignored error, caller abort). */
  #settleCancelled(state: CircuitState): void {
    this.#stats.totalIgnored++;
    if (state.name === 'half-open') this.#options.trialPermits?.release('ignored');
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

  #reopen(reason: 'half-open-failure' | 'trial-timeout'): OpenState {
    const exhausted = this.#recovery.recordFailure(this.#options);
    const now = this.#clock.monotonic();
    const period = this.#recovery.openPeriod(this.#options);
    const open: OpenState = { name: 'open', since: now, openUntil: now + period };
    this.#transition(open, reason, now);
    if (exhausted && this.#events?.has('recoveryExhausted')) {
      this.#publish('recoveryExhausted', {
        failedRecoveries: this.#recovery.failed,
        failedInARow: this.#recovery.failedInARow,
        nextResetTimeout: period,
      });
    }
    return open;
  }

  #enterHalfOpen(now: number): HalfOpenState {
    this.#recovery.attempted(this.#clock.now());
    const state: HalfOpenState = { name: 'half-open', since: now, trials: [], successes: 0 };
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
    this.#catchUp();
    const from = this.#state;
    this.#stats.addTimeInState(from.name, now - from.since);
    this.#stats.transitions++;
    this.#state = next;
    this.#refreshShortPaths();
    if (next.name === 'closed') this.#clearCounts();
    if (next.name === 'half-open') this.#consecutiveSuccesses = 0;
    if (this.#events?.has('stateChange')) {
      this.#publish('stateChange', { from: from.name, to: next.name, reason });
    }
  }

  #clearCounts(): void {
    this.#consecutiveFailures = 0;
    this.#consecutiveSuccesses = 0;
    this.#window.clear();
    this.#failureWindow?.clear();
    this.#adaptive?.restart();
  }

  // ── events ─────────────────────────────────────────────────────────────

  /** Emits an event; callers check `has(type)` first, so nothing is built for nobody. */
  #publish<K extends keyof BreakerEvents>(type: K, fields: EventFields<K>): void {
    const event = {
      type,
      breaker: this.name,
      at: this.#clock.now(),
      ...fields,
    } as BreakerEvents[K];
    this.#events?.emit(type, event);
  }

  #reportListenerError(error: unknown, during: keyof BreakerEvents): void {
    if (during !== 'error' && this.#events?.has('error')) {
      this.#publish('error', { error, during });
      return;
    }
    console.error(`[breakwater] a '${during}' listener of breaker '${this.name}' threw:`, error);
  }
}

/** Marks a trial ended and drops it from its state; false when it had ended already. */
function endTrial(state: HalfOpenState, trial: Trial): boolean {
  if (trial.ended) return false;
  trial.ended = true;
  const index = state.trials.indexOf(trial);
  if (index >= 0) state.trials.splice(index, 1);
  return true;
}

function createWindow(options: SlidingWindowOptions): OutcomeWindow {
  return options.type === 'count' ? new CountWindow(options.size) : new TimeWindow(options.size);
}

function createFailureWindow(monitoringWindow: number | undefined): TimeWindow | undefined {
  return monitoringWindow === undefined ? undefined : new TimeWindow(monitoringWindow);
}

function sameWindow(a: SlidingWindowOptions, b: SlidingWindowOptions): boolean {
  return a.type === b.type && a.size === b.size;
}
