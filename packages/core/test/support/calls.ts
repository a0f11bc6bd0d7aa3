import type { CircuitBreaker } from '@breakwater/core';

/** An operation that resolves with `value`. */
export const succeed =
  <T = string>(value: T = 'ok' as T) =>
  (): Promise<T> =>
    Promise.resolve(value);

/** An operation that rejects with `new Error(message)`. */
export const fail =
  (message = 'boom') =>
  (): Promise<never> =>
    Promise.reject(new Error(message));

/** Runs `count` calls one after another and returns each outcome (value or error). */
export async function callTimes(
  breaker: CircuitBreaker,
  count: number,
  operation: () => Promise<unknown>,
): Promise<unknown[]> {
  const outcomes: unknown[] = [];
  for (let index = 0; index < count; index++) {
    outcomes.push(await breaker.execute(operation).catch((error: unknown) => error));
  }
  return outcomes;
}

/** Whatever `promise` settles with: its value, or the error it rejects with. */
export function outcome(promise: Promise<unknown>): Promise<unknown> {
  return promise.catch((error: unknown) => error);
}

export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

/** A promise settled from outside: a call that stays in flight until the test decides. */
export function deferred<T = string>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets pending promise callbacks run. */
export async function flush(): Promise<void> {
  for (let round = 0; round < 10; round++) await Promise.resolve();
}
