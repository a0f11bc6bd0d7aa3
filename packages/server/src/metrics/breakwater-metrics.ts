import { type Registry, stateNames, type Unsubscribe } from '@breakwater/core';
import { Counter, Gauge, Histogram, Registry as PromRegistry } from 'prom-client';

export interface BreakwaterMetricsOptions {
  /** Histogram buckets for `breakwater_call_duration_seconds`, seconds. */
  readonly durationBuckets?: readonly number[];
}

/** Seconds; from 1 ms to 30 s. */
const defaultBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The Prometheus metrics of one registry. */
export interface BreakwaterMetrics {
  /** Its own prom-client registry (never the global one, so two monitors never collide). */
  readonly prometheus: PromRegistry;
  readonly contentType: string;
  /** The exposition text, collected now. */
  text(): Promise<string>;
  /** Stops listening to the registry's events. */
  close(): void;
}

/**
 * State, call totals and recovery attempts are read from `registry.status()`
 * at scrape time, so they cost nothing between scrapes. Durations and
 * transitions only exist as events, so those two are fed by listeners.
 */
export function createMetrics(
  registry: Registry,
  options: BreakwaterMetricsOptions = {},
): BreakwaterMetrics {
  const prometheus = new PromRegistry();
  const services = () => registry.status().services;

  new Gauge({
    name: 'breakwater_circuit_state',
    help: 'Circuit state: 1 for the current state of each service, 0 for the others.',
    labelNames: ['service', 'state'],
    registers: [prometheus],
    collect() {
      this.reset();
      for (const { service, breaker } of services())
        for (const state of stateNames)
          this.set({ service, state }, breaker.state === state ? 1 : 0);
    },
  });

  new Counter({
    name: 'breakwater_calls_total',
    help: 'Calls by outcome: success, failure, rejected (fast fail), timeout.',
    labelNames: ['service', 'outcome'],
    registers: [prometheus],
    collect() {
      // The breaker keeps the running totals; the counter mirrors them.
      this.reset();
      for (const { service, breaker } of services()) {
        this.inc({ service, outcome: 'success' }, breaker.totalSuccesses);
        this.inc({ service, outcome: 'failure' }, breaker.totalFailures);
        this.inc({ service, outcome: 'rejected' }, breaker.rejected);
        this.inc({ service, outcome: 'timeout' }, breaker.timeouts);
      }
    },
  });

  new Gauge({
    name: 'breakwater_recovery_attempts',
    help: 'Entries into half-open since the last healthy period.',
    labelNames: ['service'],
    registers: [prometheus],
    collect() {
      this.reset();
      for (const { service, breaker } of services())
        this.set({ service }, breaker.recoveryAttempts);
    },
  });

  const durations = new Histogram({
    name: 'breakwater_call_duration_seconds',
    help: 'Duration of timed calls (success or failure), seconds.',
    labelNames: ['service', 'outcome'],
    buckets: [...(options.durationBuckets ?? defaultBuckets)],
    registers: [prometheus],
  });

  const transitions = new Counter({
    name: 'breakwater_transitions_total',
    help: 'State changes since the monitor started.',
    labelNames: ['service', 'from', 'to'],
    registers: [prometheus],
  });

  const unsubscribe: Unsubscribe[] = [
    registry.on('success', (event) => {
      if (event.duration !== undefined)
        durations.observe({ service: event.service, outcome: 'success' }, event.duration / 1000);
    }),
    registry.on('failure', (event) => {
      if (event.duration !== undefined)
        durations.observe({ service: event.service, outcome: 'failure' }, event.duration / 1000);
    }),
    registry.on('stateChange', (event) => {
      transitions.inc({ service: event.service, from: event.from, to: event.to });
    }),
  ];

  return {
    prometheus,
    contentType: prometheus.contentType,
    text: () => prometheus.metrics(),
    close() {
      for (const stop of unsubscribe.splice(0)) stop();
    },
  };
}
