import { relative } from 'node:path';
import {
  type BreakerStatus,
  type Clock,
  ConfigError,
  type Registry,
  systemClock,
} from '@breakwater/core';
import { createStyle } from '../terminal/style';
import { type Fleet, openFleet } from './fleet';
import { type DemoPlan, Printer } from './printer';
import { seededRandom } from './random';
import { wasRestored } from './restored-block';
import { incidents, Scenario, storyMs } from './scenario';
import { runTicker } from './ticker';
import { timeScale } from './time-scale';
import { Traffic } from './traffic';
import { watch } from './watch';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Receives the output, a line or a block at a time. */
  readonly write: (text: string) => void;
  /** Where time comes from. Default: the system clock. */
  readonly clock?: Clock;
  /**
   * How long the demo runs, ms of demo time (each stands for 20 real ms).
   * Default 20 000. `Infinity`: until the signal aborts (the story repeats).
   */
  readonly durationMs?: number;
  /** ANSI colours in the output. Default false. */
  readonly color?: boolean;
  /** Aborting it (Ctrl-C) stops the demo early; the summary is still printed. */
  readonly signal?: AbortSignal;
  /** Seed of the background noise. Default 1. */
  readonly seed?: number;
  /** The configuration file. Default: examples/degenduel.yaml. */
  readonly configFile?: string;
  /** The store file. Default: the configuration's local store path. */
  readonly storeFile?: string;
  /** Delete the store file first, so nothing is restored. */
  readonly fresh?: boolean;
  /** Share the breakers through the Redis at this URL (see `FleetOptions.redisUrl`). */
  readonly redisUrl?: string;
  /**
   * Called once the registry is open, before the traffic starts (e.g. to
   * serve the monitor on it). It resolves to the function that detaches it,
   * or to a {@link DemoAttachment} that also has lines to print. That
   * function is awaited when the demo ends, before the registry closes.
   * Should it throw, the registry is closed and the demo does not run.
   */
  readonly onOpen?: (registry: Registry) => Promise<(() => Promise<void>) | DemoAttachment>;
}

/** What {@link DemoOptions.onOpen} attached to the registry. */
export interface DemoAttachment {
  readonly stop: () => Promise<void>;
  /** Lines printed, framed, right below the header (e.g. where to open the dashboard). */
  readonly notice?: readonly string[];
}

/** How the demo ended. */
export interface DemoResult {
  /** Demo ms from the start to the end. */
  readonly elapsedMs: number;
  /** True when the signal stopped it before its duration. */
  readonly interrupted: boolean;
  /** True when the store held state from an earlier run. */
  readonly restored: boolean;
  /** Every breaker's final status, in configuration order. */
  readonly services: readonly BreakerStatus[];
}

/** Default length of the demo, ms. */
export const defaultDurationMs = 20_000;
/** Time between traffic ticks (one call per service each), demo ms. */
const tickMs = 100;
/** Time between status tables, demo ms. */
const tableEveryMs = 5_000;

/**
 * Runs the configuration's services, in a registry restored from the local
 * store, under simulated traffic and injected outages: prints what was
 * restored, every breaker transition as it happens, a status table every
 * 5 s and a final summary, then saves every breaker and closes the
 * registry. Resolves when the duration is over or the signal aborts; no
 * timer is left behind.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const { write, clock = systemClock, durationMs = defaultDurationMs, signal } = options;
  const untilStopped = durationMs === Number.POSITIVE_INFINITY && signal !== undefined;
  if (
    !(
      typeof durationMs === 'number' &&
      durationMs > 0 &&
      (Number.isFinite(durationMs) || untilStopped)
    )
  ) {
    throw new ConfigError(
      'durationMs',
      durationMs,
      'a number of ms > 0 (Infinity only with a signal that stops the demo)',
    );
  }
  const fleet = await openFleet({ ...options, clock });
  const { registry } = fleet;
  const unsubscribes: (() => void)[] = [];
  let attachment: DemoAttachment | undefined;
  try {
    if (options.onOpen) {
      const attached = await options.onOpen(registry);
      attachment = typeof attached === 'function' ? { stop: attached } : attached;
    }
    const plan = planOf(fleet, durationMs);
    const printer = new Printer(write, createStyle(options.color ?? false), plan);
    const breakers = registry.list().map((name) => registry.breaker(name));
    const initial = breakers.map((breaker) => breaker.status());
    const restored = initial.some(wasRestored);
    const scenario = new Scenario(plan.incidents, seededRandom(options.seed ?? 1));
    const traffic = new Traffic(breakers, scenario);
    const origin = clock.monotonic();
    unsubscribes.push(...watch(registry, printer, () => clock.monotonic() - origin));

    printer.header();
    if (attachment?.notice) printer.notice(attachment.notice);
    if (restored) printer.restored(plan.storeFile, initial);
    const end = await runTicker(clock, {
      intervalMs: tickMs,
      endMs: durationMs,
      signal,
      onTick: (atMs) => {
        if (atMs % tableEveryMs === 0) printer.table(atMs, registry.status().services);
        traffic.send(atMs);
      },
    });
    await traffic.drain();
    await registry.checkpoint();
    const final = registry.status().services;
    printer.summary(end.atMs, final, end.aborted);
    return {
      elapsedMs: end.atMs,
      interrupted: end.aborted,
      restored,
      services: final.map((service) => service.breaker),
    };
  } finally {
    try {
      await attachment?.stop();
    } finally {
      // Still watching while it closes: a store that refuses the last save says so.
      await registry.close();
      for (const unsubscribe of unsubscribes) unsubscribe();
    }
  }
}

/** What the header describes, from the registry's (scaled) breakers. */
function planOf({ config, registry, storeFile, shared }: Fleet, durationMs: number): DemoPlan {
  const names = registry.list();
  const services = names.map((name) => {
    const { failureThreshold, resetTimeout } = registry.breaker(name).options;
    return { name, failureThreshold, resetTimeout, dependsOn: registry.dependenciesOf(name) };
  });
  const recovery = registry.breaker(names[0] ?? '').options;
  return {
    configFile: shown(config.file),
    storeFile: shared ? storeFile : shown(storeFile),
    shared,
    services,
    incidents: incidents.filter((incident) => names.includes(incident.service)),
    durationMs,
    storyMs,
    timeScale,
    backoffMultiplier: recovery.backoffMultiplier,
    maxRecoveryAttempts: recovery.maxRecoveryAttempts,
    minHealthyPeriod: recovery.minHealthyPeriod,
  };
}

/** A path relative to the working directory when it lies below it, else as it is. */
function shown(file: string): string {
  const path = relative(process.cwd(), file);
  return path.startsWith('..') || path === '' ? file : path;
}
