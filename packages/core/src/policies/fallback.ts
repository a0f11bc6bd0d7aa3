import type { Operation } from '../breaker/circuit-breaker';
import { ConfigError } from '../errors/config-error';
import { functionOption, optionsObject } from '../options/option-checks';
import {
  admitCall,
  type altResult,
  invoke,
  type Policy,
  type PolicyExecuteOptions,
} from './policy';

/** Options of {@link fallback}. */
export interface FallbackOptions {
  /**
   * Decides whether an error gets the fallback; the others are rethrown. A
   * predicate that throws counts as `false`. Default: every error.
   */
  readonly shouldHandle?: (error: unknown) => boolean;
}

/** Produces the value served instead of a failed call's. */
export type FallbackHandler<R> = (error: unknown) => R | PromiseLike<R>;

const knownOptions = ['shouldHandle'] as const;

/**
 * Serves an alternative when the call fails: a cached value, a default, a
 * degraded answer. `execute` resolves with the operation's value, or, on an
 * error that `shouldHandle` accepts, with `await handler(error)`; an error
 * thrown by the handler rejects the call.
 *
 * Once the caller's signal has aborted, an error is rethrown as it is, not
 * handled: the caller asked to stop, and no value would reach anyone.
 */
export class FallbackPolicy<R> implements Policy<R> {
  declare readonly [altResult]: R;
  readonly #handler: FallbackHandler<R>;
  readonly #shouldHandle: ((error: unknown) => boolean) | undefined;

  constructor(handler: FallbackHandler<R>, options?: FallbackOptions) {
    if (typeof handler !== 'function') {
      throw new ConfigError('handler', handler, 'a function (error) => fallback value');
    }
    this.#handler = handler;
    this.#shouldHandle = functionOption(optionsObject(options, knownOptions), 'shouldHandle');
  }

  execute<T>(fn: Operation<T>, options?: PolicyExecuteOptions): Promise<T | R> {
    const signal = admitCall('a fallback policy', fn, options);
    if (signal instanceof Promise) return signal;
    return invoke(fn, signal).then(undefined, (error: unknown) => {
      if (signal.aborted || !this.#handles(error)) throw error;
      return this.#handler(error);
    });
  }

  #handles(error: unknown): boolean {
    const decide = this.#shouldHandle;
    if (decide === undefined) return true;
    try {
      return decide(error) === true;
    } catch {
      return false; // a broken predicate must not replace the operation's own error
    }
  }
}

/**
 * A policy that resolves a failed call with `await handler(error)` instead,
 * for the errors `shouldHandle` accepts (default: all).
 */
export function fallback<R>(
  handler: FallbackHandler<R>,
  options?: FallbackOptions,
): FallbackPolicy<R> {
  return new FallbackPolicy(handler, options);
}
