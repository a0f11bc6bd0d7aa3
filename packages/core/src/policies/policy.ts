import { watchAbort } from '../breaker/abort-watch';
import type { Operation } from '../breaker/circuit-breaker';
import { callSignal, neverAbortedSignal } from '../breaker/guarded-call';
import { ConfigError } from '../errors/config-error';

/** Per-call options every policy accepts. */
export interface PolicyExecuteOptions {
  /** The caller's signal: passed down to the operation; aborting it ends the call with `signal.reason`. */
  readonly signal?: AbortSignal;
}

/**
 * Runs an operation on the caller's behalf: retry, bulkhead, rate limit,
 * fallback, a `wrap` of those, or a `CircuitBreaker`, which has the same
 * shape, so breakers and policies compose.
 *
 * `Alt` is the type of a value the policy may resolve with instead of the
 * operation's own: a fallback's. It is `never` for every other policy, so
 * `Policy` alone reads `execute<T>(fn): Promise<T>`.
 */
export interface Policy<Alt = never> {
  execute<T>(fn: Operation<T>, options?: PolicyExecuteOptions): Promise<T | Alt>;
  /** Type-only record of `Alt`, which `wrap` reads; never present at run time. */
  readonly [altResult]?: Alt;
}

/**
 * Key of the type-only `Alt` record. `execute` is generic, and TypeScript
 * erases `T` to `unknown` when inferring from it, so `T | Alt` cannot be
 * read back: a policy that may serve another value declares this field.
 * Import it with `import type`: it exists only for the type checker.
 */
export declare const altResult: unique symbol;

/** What policy `P` may resolve with instead of the operation's value (`never` for most). */
export type AltOf<P> = P extends unknown
  ? typeof altResult extends keyof P
    ? P[typeof altResult]
    : never
  : never;

/**
 * Handed to an operation whose caller gave no signal: the breaker's shared
 * signal that never aborts, so `wrap` recognises it and calls the next layer
 * without options, which keeps a breaker on its fast path.
 */
export const neverAborted: AbortSignal = neverAbortedSignal;

/** The caller's signal, or {@link neverAborted}. Throws a ConfigError for a value that is not a signal. */
export function callerSignal(options: PolicyExecuteOptions | undefined): AbortSignal {
  const signal = options?.signal;
  if (signal === undefined) return neverAborted;
  if (typeof signal !== 'object' || signal === null || !('aborted' in signal)) {
    throw new ConfigError('signal', signal, 'an AbortSignal');
  }
  return signal;
}

/** Throws the ConfigError `CircuitBreaker.execute` gives when `fn` is not a function. */
export function checkOperation(policy: string, fn: unknown): void {
  if (typeof fn !== 'function') {
    throw new ConfigError('fn', fn, `a function (execute() on ${policy} needs a function)`);
  }
}

/**
 * The checks every policy makes before running a call: `fn` must be a
 * function, the signal a signal, and not aborted yet. Returns the call's
 * signal, or the rejected promise that ends the call before it starts.
 */
export function admitCall(
  policy: string,
  fn: unknown,
  options: PolicyExecuteOptions | undefined,
): AbortSignal | Promise<never> {
  let signal: AbortSignal;
  try {
    checkOperation(policy, fn);
    signal = callerSignal(options);
  } catch (error) {
    return Promise.reject(error);
  }
  return signal.aborted ? Promise.reject(signal.reason) : signal;
}

/**
 * `fn(signal)` as a promise: a synchronous throw becomes a rejection. Without
 * a caller's signal, a function that declares a parameter gets a fresh one
 * rather than the shared never-aborted signal (see `callSignal`).
 */
export function invoke<T>(fn: Operation<T>, signal: AbortSignal): Promise<T> {
  const given = signal === neverAborted ? callSignal(fn) : signal;
  return new Promise<T>((resolve) => resolve(fn(given)));
}

/**
 * Like {@link invoke}, but rejects with `signal.reason` as soon as the signal
 * aborts, without waiting for an operation that ignores its signal (the same
 * rule as `CircuitBreaker.execute`). A late outcome is dropped, never unhandled.
 */
export function invokeUntilAborted<T>(fn: Operation<T>, signal: AbortSignal): Promise<T> {
  if (signal === neverAborted) return invoke(fn, signal);
  return new Promise<T>((resolve, reject) => {
    // Watch first: the operation may abort the signal synchronously.
    const stopWatching = watchAbort(signal, () => reject(signal.reason));
    invoke(fn, signal).then(
      (value) => {
        stopWatching();
        resolve(value);
      },
      (error: unknown) => {
        stopWatching();
        reject(error);
      },
    );
  });
}
