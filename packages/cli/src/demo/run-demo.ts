import {
  type BreakerStatus,
  CircuitBreaker,
  type Clock,
  systemClock,
  type Unsubscribe,
} from '@breakwater/core';
import { createStyle } from '../terminal/style';
import { affectedBy } from './cascade';
import { breakerOptions, catalogue, recoveryConfig, scaled, timeScale } from './catalogue';
import { type DemoPlan, Printer } from './printer';
import { seededRandom } from './random';
import { incidents, Scenario } from './scenario';
import { runTicker } from './ticker';
import { Traffic } from './traffic';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Receives the output, a line or a block at a time. */
  readonly write: (text: string) => void;
  /** Where time comes from. Default: the system clock. */
  readonly clock?: Clock;
  /** How long the demo runs, ms of demo time (each stands for 20 real ms). Default 20 000. */
  readonly durationMs?: number;
  /** ANSI colours in the output. Default false. */
  readonly color?: boolean;
  /** Aborting it (Ctrl-C) stops the demo early; the summary is still printed. */
  readonly signal?: AbortSignal;
  /** Seed of the background noise. Default 1. */
  readonly seed?: number;
}

/** How the demo ended. */
export interface DemoResult {
  /** Demo ms from the start to the end. */
  readonly elapsedMs: number;
  /** True when the signal stopped it before its duration. */
  readonly interrupted: boolean;
  /** Every breaker's final status, in catalogue order. */
  readonly services: readonly BreakerStatus[];
}

/** Default length of the demo, ms. */
export const defaultDurationMs = 20_000;
/** Time between traffic ticks (one call per service each), demo ms. */
const tickMs = 100;
/** Time between status tables, demo ms. */
const tableEveryMs = 5_000;

/**
 * Runs seed 000's services under simulated traffic and injected outages,
 * printing every breaker transition as it happens, a status table every 5 s
 * and a final summary. Resolves when the duration is over or the signal
 * aborts; no timer is left behind.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const { write, clock = systemClock, durationMs = defaultDurationMs, signal } = options;
  if (!(typeof durationMs === 'number' && durationMs > 0 && Number.isFinite(durationMs))) {
    throw new RangeError(`runDemo: durationMs must be a number of ms > 0, got ${durationMs}`);
  }
  const plan: DemoPlan = {
    services: catalogue,
    incidents,
    durationMs,
    timeScale,
    backoffMultiplier: recoveryConfig.backoffMultiplier,
    maxRecoveryAttempts: recoveryConfig.maxRecoveryAttempts,
    minHealthyPeriod: scaled(recoveryConfig.minHealthyPeriodMs),
  };
  const printer = new Printer(write, createStyle(options.color ?? false), plan);
  const breakers = catalogue.map(
    (service) => new CircuitBreaker(service.name, breakerOptions(service, clock)),
  );
  const traffic = new Traffic(breakers, new Scenario(incidents, seededRandom(options.seed ?? 1)));
  const origin = clock.monotonic();
  const elapsed = (): number => clock.monotonic() - origin;
  const unsubscribes = breakers.flatMap((breaker) => watch(breaker, printer, elapsed));
  const statuses = (): BreakerStatus[] => breakers.map((breaker) => breaker.status());

  printer.header();
  try {
    const end = await runTicker(clock, {
      intervalMs: tickMs,
      endMs: durationMs,
      signal,
      onTick: (atMs) => {
        if (atMs % tableEveryMs === 0) printer.table(atMs, statuses());
        traffic.send(atMs);
      },
    });
    await traffic.drain();
    const services = statuses();
    printer.summary(end.atMs, services, end.aborted);
    return { elapsedMs: end.atMs, interrupted: end.aborted, services };
  } finally {
    for (const unsubscribe of unsubscribes) unsubscribe();
  }
}

/** Prints `breaker`'s transitions and alerts; on an opening, also the services it affects. */
function watch(breaker: CircuitBreaker, printer: Printer, elapsed: () => number): Unsubscribe[] {
  return [
    breaker.on('stateChange', (event) => {
      if (event.to !== 'open') {
        printer.transition(elapsed(), event, undefined);
        return;
      }
      const period = breaker.status().currentResetTimeout;
      const { resetTimeout, maxResetTimeout } = breaker.options;
      printer.transition(elapsed(), event, {
        nextTrialMs: period,
        backoff: period / resetTimeout,
        capped: period >= maxResetTimeout && maxResetTimeout > resetTimeout,
      });
      if (event.from === 'closed') printer.affected(affectedBy(breaker.name, catalogue));
    }),
    breaker.on('recoveryExhausted', (event) => printer.recoveryExhausted(elapsed(), event)),
  ];
}
