import type { CircuitBreakerOptions } from '@breakwater/core';
// The simulation the core's tests assert on (packages/core/test/adaptive), so
// the figures reported here are the ones the tests hold to.
import {
  adaptiveSimulationPlan,
  type DependencyModel,
  noisyFivePercent,
  quietTenthPercent,
  type SimulationPlan,
  type SimulationResult,
  simulate,
} from '../../packages/core/test/support/failure-simulation';
import { count } from '../format';
import type { Block } from '../report';
import type { Target } from '../targets';

export const adaptiveTitle = '7. Adaptive thresholds (seeded simulation)';

/** The two breakers compared: a fixed count of 5 in a row, and the adaptive rule with its defaults. */
const breakers: readonly { readonly label: string; readonly options: CircuitBreakerOptions }[] = [
  { label: 'failureThreshold: 5', options: { failureThreshold: 5 } },
  { label: 'adaptive: {}', options: { adaptive: {} } },
];

export interface AdaptiveRow {
  readonly dependency: string;
  readonly breaker: string;
  /** Normal traffic, then outages at 50% errors. */
  readonly result: SimulationResult;
  /** Outages at 100% errors (after the same settling), for the cost on a hard-down dependency. */
  readonly hardDown: SimulationResult;
}

export interface AdaptiveResult {
  readonly plan: SimulationPlan;
  readonly rows: readonly AdaptiveRow[];
}

/**
 * Section 7: each breaker (on a FakeClock) through the same seeded traffic
 * of a noisy 5% and a 0.1% dependency — false trips per simulated hour of
 * normal traffic, then calls until the trip when errors jump to 50% (and,
 * separately, to 100%).
 */
export async function adaptiveThresholds(
  plan: SimulationPlan = adaptiveSimulationPlan,
): Promise<AdaptiveResult> {
  const rows: AdaptiveRow[] = [];
  for (const model of [noisyFivePercent, quietTenthPercent] satisfies DependencyModel[]) {
    for (const { label, options } of breakers) {
      const result = await simulate(model, options, plan);
      const hardDown = await simulate(model, options, { ...plan, hours: 0.1, outageRate: 1 });
      rows.push({ dependency: model.label, breaker: label, result, hardDown });
    }
  }
  return { plan, rows };
}

export function adaptiveBlocks({ plan, rows }: AdaptiveResult): Block[] {
  return [
    { kind: 'heading', text: adaptiveTitle },
    {
      kind: 'text',
      text: `One breaker at a time on a FakeClock, ${plan.callsPerSecond} calls/s, outcomes drawn from a seeded generator (mulberry32, seed ${plan.seed}), so every run gives the same figures. Dependencies: "noisy 5%" fails 5% of calls on average — the background rate moves by up to ±50% every 10 s and once in ~500 calls a burst of 1–9 calls fails at 50% —; "0.1%" is the same shape at 0.1% (a burst once in ~20,000 calls). False trips: closed → open transitions over ${plan.hours} simulated hours of that traffic (default recovery options). Then ${plan.outages} outages, each after a reset and 10 s of normal traffic without a trip (what was learned stays): errors jump to ${plan.outageRate * 100}%, and the calls until the circuit opens are counted; both breakers face the same outages. The last column repeats the outages at 100% errors (after 6 simulated minutes of normal traffic).`,
    },
    {
      kind: 'table',
      table: {
        headers: [
          'dependency',
          'breaker',
          'false trips / hour',
          `calls to trip at ${plan.outageRate * 100}%: mean`,
          'median',
          'p90',
          'max',
          'calls to trip at 100%: mean',
        ],
        rows: rows.map(({ dependency, breaker, result, hardDown }) => [
          dependency,
          breaker,
          count(result.falseTripsPerHour),
          result.meanCallsToTrip.toFixed(1),
          count(result.medianCallsToTrip),
          count(percentile(result.callsToTrip, 0.9)),
          count(percentile(result.callsToTrip, 1)),
          hardDown.meanCallsToTrip.toFixed(1),
        ]),
      },
    },
    {
      kind: 'text',
      text: 'A run of 5 failures comes by chance on a noisy dependency; the adaptive rule learns each window’s failure rate and its spread, and opens when the window rises clearly above them (docs/configuration.md, "Adaptive thresholds"). When every call fails it needs the window to reach its threshold, so it trips later than 5 in a row there.',
    },
  ];
}

/** Per dependency: fewer false trips than 5 in a row, and a trip no later (mean and median) at 50% errors. */
export function evaluateAdaptiveTargets({ rows }: AdaptiveResult): Target[] {
  const dependencies = [...new Set(rows.map((row) => row.dependency))];
  return dependencies.flatMap((dependency) => {
    const [fixed, adaptive] = breakers.map(
      ({ label }) =>
        rows.find((row) => row.dependency === dependency && row.breaker === label)?.result,
    );
    if (fixed === undefined || adaptive === undefined) return [];
    return [
      {
        name: `Adaptive threshold, ${dependency}: false trips per hour (section 7)`,
        goal: 'fewer than failureThreshold 5',
        measured: `${count(adaptive.falseTripsPerHour)} vs ${count(fixed.falseTripsPerHour)}`,
        met: adaptive.falseTripsPerHour < fixed.falseTripsPerHour,
      },
      {
        name: `Adaptive threshold, ${dependency}: calls until the trip at 50% errors (section 7)`,
        goal: 'no more than failureThreshold 5 (mean and median)',
        measured: `mean ${adaptive.meanCallsToTrip.toFixed(1)} vs ${fixed.meanCallsToTrip.toFixed(1)}, median ${count(adaptive.medianCallsToTrip)} vs ${count(fixed.medianCallsToTrip)}`,
        met:
          adaptive.meanCallsToTrip <= fixed.meanCallsToTrip &&
          adaptive.medianCallsToTrip <= fixed.medianCallsToTrip,
      },
    ];
  });
}

/** The value at fraction `at` (0..1) of the sorted values, nearest rank. */
function percentile(values: readonly number[], at: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(at * sorted.length) - 1))] ?? 0;
}
