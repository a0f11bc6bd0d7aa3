import { watchAbort } from '../breaker/abort-watch';
import type { Operation } from '../breaker/circuit-breaker';
import { BulkheadFullError } from '../errors/bulkhead-full-error';
import { ConfigError } from '../errors/config-error';
import { integerOption, optionsObject } from '../options/option-checks';
import { admitCall, invoke, type Policy, type PolicyExecuteOptions } from './policy';

/** Options of {@link bulkhead}. */
export interface BulkheadOptions {
  /** Calls allowed to run at once. Integer >= 1. Required. */
  readonly maxConcurrent: number;
  /** Calls allowed to wait for a slot, first in first out. Integer >= 0. Default 0 (no queue). */
  readonly maxQueue?: number;
}

/** {@link BulkheadOptions} with defaults applied. */
export interface ResolvedBulkheadOptions {
  readonly maxConcurrent: number;
  readonly maxQueue: number;
}

/** A queued call: `start` hands it a slot. */
interface Waiter {
  start(): void;
}

const knownOptions = ['maxConcurrent', 'maxQueue'] as const;

/**
 * Caps how many calls run at once, so one slow dependency cannot take every
 * connection, socket or worker. A call beyond `maxConcurrent` waits in a
 * queue of `maxQueue`; beyond that it is rejected at once with a
 * {@link BulkheadFullError} (which `retry` does not retry: it is load shedding).
 *
 * A queued call whose caller signal aborts leaves the queue and rejects with
 * `signal.reason`. A running call is not cut short: it has the signal, and
 * its slot is freed when it settles (success, failure or synchronous throw).
 */
export class BulkheadPolicy implements Policy {
  readonly #options: ResolvedBulkheadOptions;
  #running = 0;
  /** Insertion-ordered, so the oldest waiter goes first, and an aborted one leaves in O(1). */
  readonly #queue = new Set<Waiter>();

  constructor(options: BulkheadOptions) {
    this.#options = resolveBulkheadOptions(options);
  }

  /** The options in force, defaults applied. */
  get options(): ResolvedBulkheadOptions {
    return this.#options;
  }

  /** Calls running now. */
  get running(): number {
    return this.#running;
  }

  /** Calls waiting for a slot now. */
  get queued(): number {
    return this.#queue.size;
  }

  execute<T>(fn: Operation<T>, options?: PolicyExecuteOptions): Promise<T> {
    const signal = admitCall('a bulkhead', fn, options);
    if (signal instanceof Promise) return signal;
    const { maxConcurrent, maxQueue } = this.#options;
    if (this.#running < maxConcurrent) {
      this.#running++;
      return this.#run(fn, signal);
    }
    if (this.#queue.size >= maxQueue) {
      return Promise.reject(new BulkheadFullError(maxConcurrent, maxQueue));
    }
    return this.#enqueue(fn, signal);
  }

  #enqueue<T>(fn: Operation<T>, signal: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        start: () => {
          stopWatching();
          this.#run(fn, signal).then(resolve, reject);
        },
      };
      this.#queue.add(waiter);
      const stopWatching = watchAbort(signal, () => {
        this.#queue.delete(waiter);
        reject(signal.reason);
      });
    });
  }

  /** Runs `fn` in a slot already counted in `#running`, and frees the slot when it settles. */
  #run<T>(fn: Operation<T>, signal: AbortSignal): Promise<T> {
    return invoke(fn, signal).finally(() => this.#release());
  }

  #release(): void {
    const next = this.#queue.values().next();
    if (next.done) {
      this.#running--;
      return;
    }
    // The slot passes straight to the oldest waiter, so a newcomer cannot jump the queue.
    this.#queue.delete(next.value);
    next.value.start();
  }
}

/**
 * A policy that runs at most `maxConcurrent` calls at once and queues up to
 * `maxQueue` more (default 0); the rest are rejected with a
 * {@link BulkheadFullError}.
 */
export function bulkhead(options: BulkheadOptions): BulkheadPolicy {
  return new BulkheadPolicy(options);
}

function resolveBulkheadOptions(given: BulkheadOptions): ResolvedBulkheadOptions {
  const options = optionsObject(given, knownOptions);
  if (options.maxConcurrent === undefined) {
    throw new ConfigError('maxConcurrent', undefined, 'an integer >= 1 (it has no default)');
  }
  return Object.freeze({
    maxConcurrent: integerOption(options, 'maxConcurrent', 0, 1),
    maxQueue: integerOption(options, 'maxQueue', 0, 0),
  });
}
