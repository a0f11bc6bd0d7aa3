import type { SharedRegistry } from '@breakwater/core';
import type { RedisClient } from '../redis-connection';
import type { RedisKeys } from '../redis-keys';
import { type KeyedCommand, sendEach } from '../send-each';
import type { RecordReply } from './fleet-scripts';
import { flushArguments } from './flush-arguments';

/** What sending counts needs from the sharing it belongs to. */
export interface FleetCountsHost {
  readonly registry: SharedRegistry;
  readonly redis: RedisClient;
  readonly keys: RedisKeys;
  readonly instance: string;
  /** Failures after which counts are sent before the next tick. */
  readonly flushBatchSize: number;
  /** The fleet window's length, ms. */
  readonly sharedWindow: number;
  now(): number;
  /** Whether Redis is out of reach (nothing is sent then). */
  degraded(): boolean;
  /** Runs `work` after every Redis write already queued. */
  serially<T>(work: () => Promise<T>): Promise<T>;
  /** Runs `command`; on a Redis error turns the sharing degraded and resolves undefined. */
  guard<T>(command: () => Promise<T>): Promise<T | undefined>;
  degrade(reason: string): void;
  /** A script's reply about a breaker: the record it wrote, or the shared one that won. */
  take(name: string, reply: RecordReply): void;
}

interface CountsSent {
  successes: number;
  failures: number;
}

/**
 * The outcome counts an instance sends the fleet: each breaker's successes
 * and failures since the last send, read off the breakers (calls never touch
 * Redis) and merged by a script into the fleet window, which may trip the
 * shared breaker. Sent every tick, or sooner after `flushBatchSize` failures.
 */
export class FleetCounts {
  readonly #host: FleetCountsHost;
  /** Totals already sent to the fleet, per breaker. */
  readonly #sent = new Map<string, CountsSent>();
  #failuresSinceFlush = 0;
  #flushing = false;
  /** The send under way, if any: a flush waits for it, then sends what came after its snapshot. */
  #sending: Promise<void> = Promise.resolve();

  constructor(host: FleetCountsHost) {
    this.#host = host;
  }

  /** The send under way (resolved when there is none). */
  get sending(): Promise<void> {
    return this.#sending;
  }

  /** A failure was recorded: counts go out early once enough of them came. */
  failed(): void {
    if (++this.#failuresSinceFlush >= this.#host.flushBatchSize) void this.send();
  }

  /** Sends each breaker's outcomes since the last send (nothing while one is under way or degraded). */
  send(): Promise<void> {
    if (this.#flushing || this.#host.degraded()) return Promise.resolve();
    this.#flushing = true;
    this.#failuresSinceFlush = 0;
    this.#sending = this.#sendCounts().finally(() => {
      this.#flushing = false;
    });
    return this.#sending;
  }

  #sendCounts(): Promise<void> {
    const host = this.#host;
    return host.serially(async () => {
      const batch: Array<{ name: string; before: CountsSent; args: string[] }> = [];
      for (const name of host.registry.list()) {
        const breaker = host.registry.get(name);
        if (breaker === undefined) continue;
        const record = breaker.toRecord();
        const { totals } = record;
        // A shared breaker's totals start at zero on each instance (adopting keeps them).
        const before = this.#sent.get(name) ?? { successes: 0, failures: 0 };
        this.#sent.set(name, { successes: totals.successes, failures: totals.failures });
        const successes = totals.successes - before.successes;
        const failures = totals.failures - before.failures;
        if ((successes === 0 && failures === 0) || breaker.state !== 'closed') continue;
        const delta = { successes, failures };
        const args = flushArguments(breaker, record, delta, this.#settings());
        batch.push({ name, before, args });
      }
      if (batch.length === 0) return;
      if (host.redis.status !== 'ready') {
        // Not sent: count these again with the next send.
        for (const { name, before } of batch) this.#sent.set(name, before);
        host.degrade('the connection to Redis is not ready');
        return;
      }
      const flushes = batch.map(
        ({ name, args }): KeyedCommand => [
          'breakwaterFlush',
          host.keys.window(name),
          host.keys.breaker(name),
          ...args,
        ],
      );
      // Sent. A reply lost to a timeout or a dropped connection does not mean
      // the counts were not merged (a paused Redis runs them later), so they
      // are not sent again: a fleet that misses a few counts still has every
      // instance's own evidence, one that counts them twice trips for nothing.
      const replies = await host.guard(() => sendEach(host.redis, flushes));
      for (const [index, [error, reply]] of (replies ?? []).entries()) {
        const name = batch[index]?.name;
        if (error) host.degrade(error.message);
        else if (name !== undefined) host.take(name, reply as RecordReply);
      }
    });
  }

  #settings() {
    const host = this.#host;
    return {
      now: host.now(),
      sharedWindow: host.sharedWindow,
      channel: host.keys.fleetChannel,
      instance: host.instance,
    };
  }
}
