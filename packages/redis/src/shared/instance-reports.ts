import type { InstanceReport, SharedRegistry, SharingStatus } from '@breakwater/core';
import { checkReport, excerpt, isObject } from './fleet-values';

/** What a report is made of: the breakers, and the clock it is stamped and aged with. */
export type ReportedRegistry = Pick<SharedRegistry, 'clock' | 'list' | 'get'>;

/** Reports older than this many intervals are from instances that are gone. */
const staleAfterIntervals = 3;

/**
 * Who reports what: an instance publishes its own breakers' states and
 * totals on the reports channel every `interval` ms while a monitor asks
 * for them (`ReportDemand`), and a monitor keeps the latest report of every
 * other instance it hears from. Nothing is stored in Redis, so a dead
 * instance simply stops being listed after a few intervals, counted on this
 * instance's clock from when its report arrived: an instance whose clock is
 * off is still listed.
 */
export class InstanceReports {
  readonly #instance: string;
  readonly #registry: ReportedRegistry;
  readonly #interval: number;
  readonly #mode: () => SharingStatus['mode'];
  /** Each other instance's latest report, with when it arrived (this instance's clock). */
  readonly #heard = new Map<
    string,
    { readonly report: InstanceReport; readonly heardAt: number }
  >();

  constructor(
    instance: string,
    registry: ReportedRegistry,
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

  /**
   * Keeps another instance's report, checked (our own echo is ignored).
   * Answers what is wrong with a bad one, and who sent it when it says.
   */
  receive(text: string): { readonly problem: string; readonly from?: string } | undefined {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { problem: `an instance report is not JSON (${excerpt(text)})` };
    }
    const checked = checkReport(value);
    if (checked.problem !== undefined) {
      const from =
        isObject(value) && typeof value.instance === 'string' ? value.instance : undefined;
      const sender = from === undefined ? 'an instance' : `instance ${from}`;
      return { problem: `the report of ${sender} ${checked.problem}`, from };
    }
    const report = checked.value;
    if (report.instance !== this.#instance) {
      this.#heard.set(report.instance, { report, heardAt: this.#registry.clock.now() });
    }
    return undefined;
  }

  /** This instance first, then the others heard from recently, by id. */
  list(): InstanceReport[] {
    const oldest = this.#registry.clock.now() - this.#interval * staleAfterIntervals;
    for (const [id, { heardAt }] of this.#heard) if (heardAt < oldest) this.#heard.delete(id);
    const others = [...this.#heard.values()]
      .map(({ report }) => report)
      .sort((a, b) => a.instance.localeCompare(b.instance));
    return [this.own(), ...others];
  }
}
