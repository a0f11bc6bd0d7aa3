import type { InstanceReport, SharingStatus, StateName } from './fleet-api';

/** A breaker an instance sees in another state than closed. */
export interface NotClosedBreaker {
  readonly name: string;
  readonly state: Exclude<StateName, 'closed'>;
}

/** One row of the fleet table: what one instance reports. */
export interface FleetRow {
  readonly instance: string;
  /** The instance of the monitor serving the page. */
  readonly isThisMonitor: boolean;
  readonly mode: InstanceReport['mode'];
  /** When the instance's report was made, epoch ms. */
  readonly at: number;
  readonly breakerCount: number;
  /** Calls through all its breakers since it started: the sum of their `totals.attempts`. */
  readonly calls: number;
  /** Its breakers not closed, by name. */
  readonly notClosed: readonly NotClosedBreaker[];
}

/**
 * The fleet table's rows, in the monitor's order (its own instance first).
 * `sharing` names the monitor's own instance; without it none is marked.
 */
export function fleetRows(
  instances: readonly InstanceReport[],
  sharing: SharingStatus | null,
): FleetRow[] {
  return instances.map((report) => {
    const breakers = Object.entries(report.breakers);
    let calls = 0;
    const notClosed: NotClosedBreaker[] = [];
    for (const [name, { state, totals }] of breakers) {
      calls += totals.attempts;
      if (state !== 'closed') notClosed.push({ name, state });
    }
    notClosed.sort((a, b) => a.name.localeCompare(b.name, 'en'));
    return {
      instance: report.instance,
      isThisMonitor: report.instance === sharing?.instance,
      mode: report.mode,
      at: report.at,
      breakerCount: breakers.length,
      calls,
      notClosed,
    };
  });
}
