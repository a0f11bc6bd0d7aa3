/** What bench/redis-outage.ts and each instance (bench/outage/worker.ts) say to each other. */

/** The stretches of the run whose latencies are kept apart. */
export const phases = ['before', 'outage', 'reconnecting', 'after'] as const;
export type Phase = (typeof phases)[number];

export interface WorkerSettings {
  readonly url: string;
  readonly keyPrefix: string;
  /** Calls per second this instance makes, spread over the steady breakers. */
  readonly rate: number;
  /** Share of calls the simulated dependency fails, 0..1. */
  readonly dependencyFailureRate: number;
}

export type Command =
  | { readonly cmd: 'start' }
  | { readonly cmd: 'phase'; readonly phase: Phase }
  /** `count` calls to `service` whose dependency fails, one after another. */
  | { readonly cmd: 'fail'; readonly service: string; readonly count: number }
  | { readonly cmd: 'state' }
  /** Stops the traffic, waits for every call to settle, answers with the tallies. */
  | { readonly cmd: 'stop' }
  | { readonly cmd: 'close' };

export type Request = Command & { readonly id: number };

/** One phase's calls on one instance. */
export interface PhaseTally {
  calls: number;
  ok: number;
  /** Rejected with the simulated dependency's own error. */
  dependency: number;
  /** Anything else: an error that is not the dependency's, or a rejection by a steady breaker. */
  other: number;
  /** Each call's time from `execute` to settling, ms. */
  latencies: number[];
  /** Event-loop delay over the phase (beyond the monitor's timer), ms. */
  loop: { p50: number; p99: number; max: number };
}

export interface Results {
  start: null;
  phase: null;
  fail: { state: string };
  state: {
    sharing: string | undefined;
    states: Record<string, string>;
    /** Instances this one heard from in the last three seconds. */
    fleetInstances: number;
  };
  stop: { tallies: Record<Phase, PhaseTally>; otherErrors: string[] };
  close: null;
}

export type WorkerMessage =
  | { readonly type: 'ready'; readonly instance: string }
  | { readonly type: 'reply'; readonly id: number; readonly result: unknown }
  | { readonly type: 'failed'; readonly id: number; readonly error: string }
  /** Its sharing mode changed; `at`: Date.now() in the instance. */
  | {
      readonly type: 'sharing';
      readonly mode: 'shared' | 'degraded';
      readonly at: number;
      readonly reason: string | null;
    };
