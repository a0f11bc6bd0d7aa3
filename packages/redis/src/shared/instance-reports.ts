import type { InstanceReport, SharedRegistry, SharingStatus } from '@breakwater/core';

/** Reports older than this many intervals are from instances that are gone. */
const staleAfterIntervals = 3;

/**
 * Who reports what: every instance publishes its own breakers' states and
 * totals every `interval` ms on the reports channel, and keeps the latest
 * report of every other instance it hears from. Nothing is stored in Redis,
 * so a dead instance simply stops being listed after a few intervals.
 */
export class InstanceReports {
  readonly #instance: string;
  readonly #registry: SharedRegistry;
  readonly #interval: number;
  readonly #mode: () => SharingStatus['mode'];
  readonly #heard = new Map<string, InstanceReport>();

  constructor(
    instance: string,
    registry: SharedRegistry,
    interval: number,
    mode: () => SharingStatus['mode'],
  ) {
    this.#instance = instance;
    this.#registry = registry;
    this.#interval = interval;
    this.#mode = mode;
  }

  /** This instance's report, now. */
  own(): InstanceReport {
    const breakers: Record<string, InstanceReport['breakers'][string]> = {};
    for (const name of this.#registry.list()) {
      const breaker = this.#registry.get(name);
      if (breaker === undefined) continue;
      breakers[name] = { state: breaker.state, totals: breaker.toRecord().totals };
    }
    return {
      instance: this.#instance,
      at: this.#registry.clock.now(),
      mode: this.#mode(),
      breakers,
    };
  }

  /** Keeps another instance's report (ignores our own echo and anything malformed). */
  receive(report: unknown): void {
    if (!isReport(report) || report.instance === this.#instance) return;
    this.#heard.set(report.instance, report);
  }

  /** This instance first, then the others heard from recently, by id. */
  list(): InstanceReport[] {
    const oldest = this.#registry.clock.now() - this.#interval * staleAfterIntervals;
    for (const [id, report] of this.#heard) if (report.at < oldest) this.#heard.delete(id);
    const others = [...this.#heard.values()].sort((a, b) => a.instance.localeCompare(b.instance));
    return [this.own(), ...others];
  }
}

function isReport(value: unknown): value is InstanceReport {
  if (typeof value !== 'object' || value === null) return false;
  const { instance, at, breakers } = value as Partial<InstanceReport>;
  return (
    typeof instance === 'string' &&
    typeof at === 'number' &&
    typeof breakers === 'object' &&
    breakers !== null
  );
}
