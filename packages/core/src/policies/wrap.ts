import type { Operation } from '../breaker/circuit-breaker';
import { markRelay } from '../breaker/guarded-call';
import { ConfigError } from '../errors/config-error';
import {
  type AltOf,
  admitCall,
  type altResult,
  neverAborted,
  type Policy,
  type PolicyExecuteOptions,
} from './policy';

/** Anything with a policy's `execute`, whatever it may resolve with instead. */
type AnyPolicy = Policy<unknown>;

/**
 * Several policies acting as one, outermost first:
 * `wrap(fallbackPolicy, retryPolicy, breaker).execute(fn)` runs the fallback,
 * which runs the retry, which runs the breaker, which runs `fn`. Each layer
 * passes its signal to the next, so the caller's signal (and a breaker's
 * timeout) reaches `fn`.
 */
export class WrappedPolicy<Alt = never> implements Policy<Alt> {
  declare readonly [altResult]: Alt;
  readonly #policies: readonly AnyPolicy[];

  constructor(policies: readonly AnyPolicy[]) {
    if (!Array.isArray(policies) || policies.length === 0) {
      throw new ConfigError('policies', policies, 'at least one policy to wrap');
    }
    policies.forEach((policy, index) => {
      if (typeof (policy as Partial<AnyPolicy> | null)?.execute !== 'function') {
        throw new ConfigError(`policies[${index}]`, policy, 'a policy with an execute() method');
      }
    });
    this.#policies = Object.freeze([...policies]);
  }

  /** The wrapped policies, outermost first. */
  get policies(): readonly AnyPolicy[] {
    return this.#policies;
  }

  execute<T>(fn: Operation<T>, options?: PolicyExecuteOptions): Promise<T | Alt> {
    const signal = admitCall('a wrapped policy', fn, options);
    if (signal instanceof Promise) return signal;
    return this.#runFrom(0, fn, signal) as Promise<T | Alt>;
  }

  /** Runs layer `index`, whose operation is the rest of the chain (or `fn` for the innermost). */
  #runFrom<T>(index: number, fn: Operation<T>, signal: AbortSignal): Promise<unknown> {
    const policy = this.#policies[index] as AnyPolicy;
    // A relay: no layer builds a signal just for it; the caller's own `fn` gets one from the
    // layer that runs it (a breaker with a timeout still hands its own down).
    const inner: Operation<unknown> =
      index === this.#policies.length - 1
        ? fn
        : markRelay((innerSignal) => this.#runFrom(index + 1, fn, innerSignal));
    // Without a signal to pass, call without options: a breaker then stays on its fast path.
    return signal === neverAborted ? policy.execute(inner) : policy.execute(inner, { signal });
  }
}

/**
 * Composes policies into one, outermost first. Throws a `ConfigError` when
 * given none. The result may resolve with any wrapped fallback's value.
 */
export function wrap<P extends readonly AnyPolicy[]>(
  ...policies: P
): WrappedPolicy<AltOf<P[number]>> {
  return new WrappedPolicy(policies);
}
