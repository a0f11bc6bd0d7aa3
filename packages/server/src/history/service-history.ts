import {
  type Clock,
  ConfigError,
  type Registry,
  systemClock,
  type TimerHandle,
  type Unsubscribe,
} from '@breakwater/core';
import { intervalPoint, latencyBoundsMs, type Reading, readingOf } from './interval-point';
import { type HistoryPoint, SeriesRing } from './series-ring';
import { type TransitionEntry, TransitionLog } from './transition-log';

export interface ServiceHistoryOptions {
  /** The fleet to sample. */
  readonly registry: Pick<Registry, 'status' | 'get' | 'on'>;
  /** Timestamps, intervals and the ticker's timer. Default: the system clock. */
  readonly clock?: Clock;
  /** Ms between samples. Default 5 000. */
  readonly interval?: number;
  /** Points kept per service. Default 720: an hour at one point per 5 s. */
  readonly points?: number;
  /** Transitions kept per service. Default 200. */
  readonly transitions?: number;
}

export const historyDefaults = Object.freeze({ interval: 5_000, points: 720, transitions: 200 });

/**
 * What the dashboard charts: a bounded series per service, sampled from the
 * registry's status by one shared, unref'd timer (never one per breaker),
 * and each service's recent transitions, recorded from the registry's
 * `stateChange` events. Both live in memory only and start empty with the
 * monitor; a service removed from the registry is forgotten at the next
 * sample.
 *
 * Transitions are not kept in the store: the store holds each breaker's
 * latest state with the time it was entered, and the audit log holds every
 * operator action durably; a journal of every transition would grow without
 * bound, and in shared mode every instance sees the same transition, so each
 * would write it again.
 */
export class ServiceHistory {
  readonly #registry: ServiceHistoryOptions['registry'];
  readonly #clock: Clock;
  readonly #interval: number;
  readonly #points: number;
  readonly #series = new Map<string, SeriesRing>();
  readonly #readings = new Map<string, Reading>();
  readonly #transitions: TransitionLog;
  #timer: TimerHandle | undefined;
  #unsubscribe: Unsubscribe | undefined;

  constructor(options: ServiceHistoryOptions) {
    this.#registry = options.registry;
    this.#clock = options.clock ?? systemClock;
    this.#interval = positive('interval', options.interval ?? historyDefaults.interval);
    this.#points = count('points', options.points ?? historyDefaults.points);
    this.#transitions = new TransitionLog(
      count('transitions', options.transitions ?? historyDefaults.transitions),
    );
  }

  /** Ms between two points. */
  get interval(): number {
    return this.#interval;
  }

  /** The most transitions a service keeps. */
  get transitionsKept(): number {
    return this.#transitions.perService;
  }

  /** Whether it is sampling (between `start()` and `stop()`). */
  get running(): boolean {
    return this.#timer !== undefined;
  }

  /** Starts recording transitions and sampling: one point now, then one per interval. Idempotent. */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#unsubscribe = this.#registry.on('stateChange', ({ service, at, from, to, reason }) => {
      this.#transitions.record(service, { at, from, to, reason });
    });
    this.sample();
    this.#schedule();
  }

  /** Stops sampling and recording; what was kept stays readable. */
  stop(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  /** Takes one point of every service now and forgets removed services. */
  sample(): void {
    const at = this.#clock.now();
    const monotonic = this.#clock.monotonic();
    const present = new Set<string>();
    for (const status of this.#registry.status().services) {
      const { service } = status;
      present.add(service);
      const previous = this.#readings.get(service);
      const current = readingOf(
        status,
        monotonic,
        previous,
        () => this.#registry.get(service)?.latencyDistribution(latencyBoundsMs).counts,
      );
      this.#readings.set(service, current);
      let ring = this.#series.get(service);
      if (ring === undefined) {
        ring = new SeriesRing(this.#points);
        this.#series.set(service, ring);
      }
      ring.push(intervalPoint(at, previous, current, status));
    }
    for (const service of this.#series.keys()) {
      if (present.has(service)) continue;
      this.#series.delete(service);
      this.#readings.delete(service);
    }
    this.#transitions.retain(present);
  }

  /** A service's points taken after `since` (epoch ms; all when undefined), oldest first. */
  series(service: string, since?: number): HistoryPoint[] {
    return this.#series.get(service)?.points(since) ?? [];
  }

  /** A service's last `limit` transitions (at most {@link transitionsKept}), newest first. */
  transitions(service: string, limit: number = this.#transitions.perService): TransitionEntry[] {
    return this.#transitions.newest(service, limit);
  }

  #schedule(): void {
    this.#timer = unref(
      this.#clock.setTimeout(() => {
        this.sample();
        this.#schedule();
      }, this.#interval),
    );
  }
}

/** Lets the process exit while the ticker waits (a Node timer; other clocks' handles pass as they are). */
function unref(handle: TimerHandle): TimerHandle {
  const timer = handle as { unref?: () => void } | null;
  if (timer !== null && typeof timer === 'object' && typeof timer.unref === 'function')
    timer.unref();
  return handle;
}

function positive(option: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    throw new ConfigError(option, value, 'a number of milliseconds > 0');
  return value;
}

function count(option: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new ConfigError(option, value, 'an integer >= 1');
  return value;
}
