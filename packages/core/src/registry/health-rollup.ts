import type { BreakerStatus } from '../breaker/breaker-status';
import type { Clock } from '../clock/clock';
import { ConfigError } from '../errors/config-error';
import { maxDuration } from '../options/option-checks';
import type { BreakerMap } from './breaker-map';
import { assessHealth, type ServiceHealth } from './service-health';
import type { SharingStatus } from './sharing-status';

/** One service in a registry status. */
export interface ServiceStatus {
  readonly service: string;
  readonly health: ServiceHealth;
  /** Direct dependencies that are failed or degraded (why this one may be degraded). */
  readonly degradedBy: readonly string[];
  readonly dependsOn: readonly string[];
  readonly layer: string | null;
  readonly breaker: BreakerStatus;
}

export interface RegistryStatus {
  readonly timestamp: string;
  readonly total: number;
  readonly healthy: number;
  readonly degraded: number;
  readonly failed: number;
  readonly unknown: number;
  /** Services whose circuit rejects calls (open or forced open). */
  readonly openCircuits: readonly string[];
  readonly services: readonly ServiceStatus[];
  /** In shared mode: whether this instance is in step with the fleet. Absent otherwise. */
  readonly sharing?: SharingStatus;
}

/** When a breaker's counts last changed, to tell fresh data from stale. */
interface Activity {
  count: number;
  at: number;
}

/**
 * The fleet's health: each service's verdict from its own breaker and its
 * dependencies' verdicts (dependencies first), and the totals. A service
 * whose counts have not moved for `staleAfter` ms is `unknown`.
 */
export class HealthRollup {
  readonly #clock: Clock;
  readonly #staleAfter: number;
  readonly #activity = new Map<string, Activity>();

  /** @param staleAfter ms without a call before a service is `unknown`; default 300 000 */
  constructor(clock: Clock, staleAfter: number | undefined) {
    this.#clock = clock;
    this.#staleAfter = checkStaleAfter(staleAfter);
  }

  /** Starts watching a new breaker's counts. */
  track(name: string): void {
    this.#activity.set(name, { count: 0, at: this.#clock.monotonic() });
  }

  forget(name: string): void {
    this.#activity.delete(name);
  }

  status(map: BreakerMap, sharing: SharingStatus | undefined): RegistryStatus {
    const now = this.#clock.monotonic();
    const health = new Map<string, ServiceHealth>();
    const byName = new Map<string, ServiceStatus>();
    const order = [...new Set([...map.graph.topologicalOrder(), ...map.names()])];
    for (const name of order) {
      const breaker = map.get(name);
      if (breaker === undefined) continue;
      const status = breaker.status();
      const dependsOn = map.graph.dependenciesOf(name);
      const verdict = assessHealth({
        breaker: status,
        dependencies: dependsOn.map((dependency) => ({
          name: dependency,
          health: health.get(dependency) ?? 'unknown',
        })),
        fresh: this.#isFresh(name, status, now),
      });
      health.set(name, verdict.health);
      const layer = map.service(name)?.layer ?? null;
      byName.set(name, { service: name, ...verdict, dependsOn, layer, breaker: status });
    }
    const services = map.names().flatMap((name) => byName.get(name) ?? []);
    const count = (wanted: ServiceHealth) =>
      services.filter((service) => service.health === wanted).length;
    return {
      timestamp: new Date(this.#clock.now()).toISOString(),
      total: services.length,
      healthy: count('healthy'),
      degraded: count('degraded'),
      failed: count('failed'),
      unknown: count('unknown'),
      openCircuits: services
        .filter((service) => service.health === 'failed')
        .map((service) => service.service),
      services,
      ...(sharing === undefined ? {} : { sharing }),
    };
  }

  #isFresh(name: string, status: BreakerStatus, now: number): boolean {
    const activity = this.#activity.get(name);
    if (activity === undefined) return false;
    const count = status.totalAttempts + status.rejected;
    if (count !== activity.count) {
      activity.count = count;
      activity.at = now;
    }
    return now - activity.at < this.#staleAfter;
  }
}

function checkStaleAfter(value: number | undefined): number {
  if (value === undefined) return 300_000;
  if (typeof value !== 'number' || !(value > 0 && value <= maxDuration))
    throw new ConfigError(
      'staleAfter',
      value,
      `a duration in milliseconds > 0 and <= ${maxDuration}`,
    );
  return value;
}
