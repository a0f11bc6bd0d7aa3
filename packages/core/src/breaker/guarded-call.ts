import type { Clock, TimerHandle } from '../clock/clock';
import { CallTimeoutError } from '../errors/call-timeout-error';
import { watchAbort } from './abort-watch';

/** The protected work: receives the call's `AbortSignal` and returns a value or a promise. */
export type Operation<T> = (signal: AbortSignal) => T | PromiseLike<T>;

/**
 * Passed to functions that declare no parameter, so cannot see their signal:
 * they pay for no `AbortController` (~3 µs each on Node 20). A function that
 * declares one gets a signal of its own ({@link callSignal}), because code
 * such as `fetch` leaves a listener on the signal it is given: on one shared,
 * never-collected signal those listeners would pile up for ever.
 */
export const neverAbortedSignal: AbortSignal = new AbortController().signal;

const relayMark: unique symbol = Symbol.for('breakwater.relay') as never;

/**
 * Marks an operation that only hands its signal on to another layer (the
 * inner steps of `wrap`): it needs no signal of its own, since the layer that
 * finally runs the caller's function gives that one its own.
 */
export function markRelay<T>(fn: Operation<T>): Operation<T> {
  (fn as { [relayMark]?: true })[relayMark] = true;
  return fn;
}

// What the last function seen declares. Reading `fn.length` goes through an accessor and
// costs ~15 ns, a third of a whole call, and callers mostly pass the same function again.
let lastFn: Operation<unknown> | undefined;
let lastDeclaresSignal = false;
let lastIsRelay = false;

/** Reads (or recalls) what `fn` declares. */
function inspect(fn: Operation<unknown>): void {
  if (fn === lastFn) return;
  lastFn = fn;
  lastDeclaresSignal = fn.length > 0;
  lastIsRelay = (fn as { [relayMark]?: true })[relayMark] === true;
}

/** The signal a call's function receives when nothing can abort the call. */
export function callSignal(fn: Operation<unknown>): AbortSignal {
  inspect(fn);
  return lastDeclaresSignal && !lastIsRelay ? new AbortController().signal : neverAbortedSignal;
}

export interface GuardedCallSettings {
  readonly breaker: string;
  readonly clock: Clock;
  readonly timeout: number | undefined;
  readonly callerSignal: AbortSignal | undefined;
}

/** Exactly one of these runs per call: whichever of completion, timeout or caller abort comes first. */
export interface GuardedCallHandlers {
  success(value: unknown): void;
  failure(error: unknown): void;
  timeout(error: CallTimeoutError): void;
  cancelled(): void;
}

/**
 * Runs `fn` racing its completion against a timeout (on the injected clock)
 * and the caller's signal. A timeout aborts the call's signal with the
 * `CallTimeoutError`; a caller abort passes the caller's reason on. What `fn`
 * does after losing the race is ignored, and the timer and the abort listener
 * are always released.
 */
export function runGuardedCall<T>(
  fn: Operation<T>,
  settings: GuardedCallSettings,
  handlers: GuardedCallHandlers,
): Promise<T> {
  const { breaker, clock, timeout, callerSignal } = settings;
  // Only a function that declares a parameter can see the signal: skip the costly controller
  // otherwise. One that can gets its own, never the caller's (which may outlive many calls),
  // unless it only relays the signal to an inner layer and no timeout needs a controller.
  inspect(fn);
  const controller =
    lastDeclaresSignal && (timeout !== undefined || !lastIsRelay)
      ? new AbortController()
      : undefined;
  const signal = controller?.signal ?? callerSignal ?? neverAbortedSignal;
  return new Promise<T>((resolve, reject) => {
    let timer: TimerHandle | undefined;
    let stopWatching: (() => void) | undefined;
    let settled = false;
    const finish = (): boolean => {
      if (settled) return false;
      settled = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      stopWatching?.();
      return true;
    };
    const onCallerAbort = (): void => {
      if (!finish()) return;
      const reason: unknown = callerSignal?.reason;
      controller?.abort(reason);
      handlers.cancelled();
      reject(reason);
    };
    if (callerSignal !== undefined) stopWatching = watchAbort(callerSignal, onCallerAbort);
    if (timeout !== undefined) {
      timer = clock.setTimeout(() => {
        if (!finish()) return;
        const error = new CallTimeoutError(breaker, timeout);
        controller?.abort(error);
        handlers.timeout(error);
        reject(error);
      }, timeout);
    }
    const fail = (error: unknown): void => {
      if (!finish()) return;
      handlers.failure(error);
      reject(error);
    };
    let result: T | PromiseLike<T>;
    try {
      result = fn(signal);
    } catch (error) {
      fail(error);
      return;
    }
    Promise.resolve(result).then((value) => {
      if (!finish()) return;
      handlers.success(value);
      resolve(value);
    }, fail);
  });
}
