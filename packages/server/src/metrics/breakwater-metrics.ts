import {
  type BreakerStatus,
  type Registry,
  type ServiceStatus,
  stateNames,
  type Unsubscribe,
} from '@breakwater/core';
import { Counter, Gauge, Registry as PromRegistry } from 'prom-client';
import { ErrorLabels } from './error-labels';

export interface BreakwaterMetricsOptions {
  /** Histogram buckets for `breakwater_call_duration_seconds`, seconds. */
  readonly durationBuckets?: readonly number[];
}

/** Seconds; from 1 ms to 30 s. */
const defaultBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Distinct `error` labels per service in `breakwater_failures_by_error_total`, besides `other`. */
const maxErrorLabels = 20;

/** The transitions a breaker makes on its own: their series exist from the first scrape. */
const automaticTransitions = [
  ['closed', 'open'],
  ['open', 'half-open'],
  ['half-open', 'open'],
  ['half-open', 'closed'],
] as const;

/** The per-breaker rates exported as gauges (fractions 0..1); a null rate exports no sample. */
const rateGauges: ReadonlyArray<
  readonly [string, string, (breaker: BreakerStatus) => number | null]
> = [
  [
    'breakwater_failure_rate',
    'Failed calls over the calls of the sliding window, 0..1 (0 while it is empty).',
    (breaker) => breaker.failureRate,
  ],
  [
    'breakwater_slow_call_rate',
    'Slow calls over the timed calls of the sliding window, 0..1 (0 while there are none).',
    (breaker) => breaker.slowCallRate,
  ],
  [
    'breakwater_recovery_success_rate',
    'Successful recoveries over finished ones, 0..1; no sample before the first one finishes.',
    (breaker) => breaker.recoverySuccessRate,
  ],
];

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
 * State, call totals, rates, failures by error and recovery attempts are read
 * from `registry.status()` at scrape time, so they cost nothing between scrapes. Transitions
 * and exhausted recoveries only exist as events, so those two are fed by listeners.
 */
export function createMetrics(
  registry: Registry,
  options: BreakwaterMetricsOptions = {},
): BreakwaterMetrics {
  const prometheus = new PromRegistry();
  // During `text()` every metric reads one status of the fleet: one
  // `registry.status()` per scrape instead of one per metric, and the
  // metrics of a scrape agree with each other.
  let scrapes = 0;
  let snapshot: readonly ServiceStatus[] | undefined;
  const services = (): readonly ServiceStatus[] => {
    if (scrapes === 0) return registry.status().services;
    snapshot ??= registry.status().services;
    return snapshot;
  };

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

  for (const [name, help, read] of rateGauges) {
    new Gauge({
      name,
      help,
      labelNames: ['service'],
      registers: [prometheus],
      collect() {
        this.reset();
        for (const { service, breaker } of services()) {
          const rate = read(breaker);
          if (rate !== null) this.set({ service }, rate);
        }
      },
    });
  }

  const errorLabels = new ErrorLabels(maxErrorLabels);
  new Counter({
    name: 'breakwater_failures_by_error_total',
    help: `Failures by error name (or code), at most ${maxErrorLabels} names per service; later names count as "other".`,
    labelNames: ['service', 'error'],
    registers: [prometheus],
    collect() {
      // Mirrors the breakers' lifetime counts through labels admitted once and kept.
      this.reset();
      const present = new Set<string>();
      for (const { service, breaker } of services()) {
        present.add(service);
        for (const [error, count] of errorLabels.group(service, breaker.failuresByError))
          this.inc({ service, error }, count);
      }
      errorLabels.retain(present);
    },
  });

  // Read from each breaker's own fixed-bucket histogram when scraped: listening
  // to a success or failure event per call would put work on every call.
  const bucketsSeconds = [...(options.durationBuckets ?? defaultBuckets)];
  prometheus.registerMetric(
    durationHistogram(registry, bucketsSeconds) as unknown as Parameters<
      PromRegistry['registerMetric']
    >[0],
  );

  // The two event-fed counters show their usual series at 0 from the first
  // scrape: a series that appears at 1 gives `increase()` nothing to compare,
  // so an alert or a panel would miss the first event.
  const transitions = new Counter({
    name: 'breakwater_transitions_total',
    help: 'State changes since the monitor started.',
    labelNames: ['service', 'from', 'to'],
    registers: [prometheus],
    collect() {
      for (const { service } of services())
        for (const [from, to] of automaticTransitions) this.inc({ service, from, to }, 0);
    },
  });

  const recoveriesExhausted = new Counter({
    name: 'breakwater_recovery_exhausted_total',
    help: 'Times a circuit failed maxRecoveryAttempts recoveries in a row, since the monitor started.',
    labelNames: ['service'],
    registers: [prometheus],
    collect() {
      for (const { service } of services()) this.inc({ service }, 0);
    },
  });

  const unsubscribe: Unsubscribe[] = [
    registry.on('stateChange', (event) => {
      transitions.inc({ service: event.service, from: event.from, to: event.to });
    }),
    // Emitted once per exhaustion (never per call), so listening costs the call path nothing.
    registry.on('recoveryExhausted', (event) => {
      recoveriesExhausted.inc({ service: event.service });
    }),
  ];

  return {
    prometheus,
    contentType: prometheus.contentType,
    async text() {
      scrapes++;
      try {
        return await prometheus.metrics();
      } finally {
        if (--scrapes === 0) snapshot = undefined;
      }
    },
    close() {
      for (const stop of unsubscribe.splice(0)) stop();
    },
  };
}

/**
 * `breakwater_call_duration_seconds` as a Prometheus histogram built at scrape
 * time from every breaker's latency histogram (the timed calls: see
 * `latencySampling`). A call counts toward a bucket once its whole
 * fixed-width bucket in the breaker lies below the bound.
 */
function durationHistogram(registry: Registry, bucketsSeconds: readonly number[]) {
  const name = 'breakwater_call_duration_seconds';
  const help =
    'Duration of timed calls (success or failure), seconds, from the breakers’ histograms.';
  return {
    name,
    help,
    type: 'histogram',
    aggregator: 'sum',
    reset() {},
    get: async () => {
      const values: {
        metricName: string;
        labels: Record<string, string | number>;
        value: number;
      }[] = [];
      const boundsMs = bucketsSeconds.map((seconds) => seconds * 1000);
      for (const service of registry.list()) {
        const breaker = registry.get(service);
        if (breaker === undefined) continue;
        const { counts, samples, sumMs } = breaker.latencyDistribution(boundsMs);
        counts.forEach((count, index) => {
          values.push({
            metricName: `${name}_bucket`,
            labels: { service, le: bucketsSeconds[index] ?? 0 },
            value: count,
          });
        });
        values.push({
          metricName: `${name}_bucket`,
          labels: { service, le: '+Inf' },
          value: samples,
        });
        values.push({ metricName: `${name}_sum`, labels: { service }, value: sumMs / 1000 });
        values.push({ metricName: `${name}_count`, labels: { service }, value: samples });
      }
      return { name, help, type: 'histogram', values, aggregator: 'sum' };
    },
  };
}
