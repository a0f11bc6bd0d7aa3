/** How long one request for reports keeps an instance reporting, in report intervals. */
const requestLastsIntervals = 3;
/** Askers remembered at most; past it, the longest silent is forgotten first. */
const maxAskers = 1_000;

/**
 * Whether anyone wants this instance's reports. Only an instance that shows
 * the fleet (a monitor serving `GET /api/fleet`) reads reports; it asks for
 * them on the requests channel every report interval. An instance reports
 * while some asker was heard in the last few intervals, and at once when an
 * asker it had not heard lately appears, so a new monitor sees the whole
 * fleet within moments. Nobody asking, nobody reports: the fleet's report
 * traffic grows with instances × monitors, not with instances².
 */
export class ReportDemand {
  readonly #lasts: number;
  /** Each asker's latest request, epoch ms, oldest first. */
  readonly #askers = new Map<string, number>();

  /** @param interval the report interval, ms */
  constructor(interval: number) {
    this.#lasts = interval * requestLastsIntervals;
  }

  /** A request from `asker` heard at `now`; true when that asker is new or back: report at once. */
  heard(asker: string, now: number): boolean {
    this.#forgetSilent(now);
    const known = this.#askers.has(asker);
    this.#askers.delete(asker); // re-added last: the map stays oldest first
    this.#askers.set(asker, now);
    if (this.#askers.size > maxAskers) {
      const oldest = this.#askers.keys().next().value;
      if (oldest !== undefined) this.#askers.delete(oldest);
    }
    return !known;
  }

  /** Whether some asker was heard recently enough to keep reporting. */
  wanted(now: number): boolean {
    this.#forgetSilent(now);
    return this.#askers.size > 0;
  }

  #forgetSilent(now: number): void {
    for (const [asker, at] of this.#askers) {
      if (now - at < this.#lasts) return; // oldest first: the rest are more recent
      this.#askers.delete(asker);
    }
  }
}
