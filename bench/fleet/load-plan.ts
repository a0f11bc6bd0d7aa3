/** What every worker of the fleet-size bench runs: shared by the parent and the workers. */
export interface LoadPlan {
  /** The Redis to share through: one server's URL, or `cluster` seed URLs instead. */
  readonly url?: string;
  readonly cluster?: readonly string[];
  readonly keyPrefix: string;
  /** Breakers driven by the load in each process (the probe breaker comes on top). */
  readonly breakers: number;
  /** Calls per second of each process, spread evenly at random over its breakers. */
  readonly rate: number;
  /** Share of calls that fail on a healthy breaker (0.02: 2 %). */
  readonly failureRate: number;
  /** The first few breakers have real outages on a shared schedule, so they trip and recover. */
  readonly outages: OutageSchedule;
}

export interface OutageSchedule {
  readonly breakers: number;
  /** Each outage breaker is down for `length` ms of every `period` ms, staggered. */
  readonly period: number;
  readonly length: number;
}

/** The breaker propagation is measured on: no load runs through it. */
export const probeService = 'probe';

/** The options of every loaded breaker: trips on 5 consecutive failures, open 5 s. */
export const loadedBreaker = { failureThreshold: 5, resetTimeout: 5_000 };

/** The probe trips as the loaded ones do and stays open until the bench releases it. */
export const probeBreaker = { failureThreshold: 5, resetTimeout: 600_000 };

/** Name of the `index`-th loaded breaker: `svc-00042`. */
export function breakerName(index: number): string {
  return `svc-${String(index).padStart(5, '0')}`;
}

/**
 * Whether outage breaker `index` is down at wall time `now`: every process
 * reads the same schedule off its clock, so an outage hits the whole fleet
 * at once, as a real one would.
 */
export function inOutage(index: number, now: number, schedule: OutageSchedule): boolean {
  if (index >= schedule.breakers) return false;
  const offset = (index * schedule.period) / schedule.breakers;
  return (now + offset) % schedule.period < schedule.length;
}
