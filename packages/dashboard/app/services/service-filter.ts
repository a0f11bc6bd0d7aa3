import {
  type ServiceSnapshot,
  type ServiceStatusName,
  serviceStatuses,
} from '@breakwater/protocol';

/** The health filter's choices: every health, or all of them. */
export type HealthFilter = 'all' | ServiceStatusName;

export const healthFilters: readonly HealthFilter[] = ['all', ...serviceStatuses];

/** How many services have each health, and how many in all. */
export type HealthCounts = Readonly<Record<HealthFilter, number>>;

export function countByHealth(services: readonly ServiceSnapshot[]): HealthCounts {
  const counts = { all: services.length, healthy: 0, degraded: 0, failed: 0, unknown: 0 };
  for (const { status } of services) counts[status] += 1;
  return counts;
}

/**
 * The services with the chosen health whose name contains every word of
 * `query`, ignoring case (`pay api` finds `payments-api`), in their order.
 */
export function filterServices(
  services: readonly ServiceSnapshot[],
  health: HealthFilter,
  query: string,
): readonly ServiceSnapshot[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (health === 'all' && words.length === 0) return services;
  return services.filter(
    ({ service, status }) =>
      (health === 'all' || status === health) &&
      words.every((word) => service.toLowerCase().includes(word)),
  );
}
