import type { ServiceSnapshot, ServiceStatusName } from '@breakwater/protocol';
import { describe, expect, it } from 'vitest';
import { countByHealth, filterServices } from '../app/services/service-filter';
import { snapshot } from './support/snapshots';

const fleet: ServiceSnapshot[] = (
  [
    ['payments-api', 'healthy'],
    ['payments-worker', 'degraded'],
    ['database', 'failed'],
    ['search', 'healthy'],
    ['new-service', 'unknown'],
  ] as const
).map(([name, status]: readonly [string, ServiceStatusName]) => snapshot(name, { status }));

const names = (services: readonly ServiceSnapshot[]) => services.map(({ service }) => service);

describe('countByHealth', () => {
  it('counts every health and the total', () => {
    expect(countByHealth(fleet)).toEqual({
      all: 5,
      healthy: 2,
      degraded: 1,
      failed: 1,
      unknown: 1,
    });
  });

  it('counts zero of everything in an empty fleet', () => {
    expect(countByHealth([])).toEqual({ all: 0, healthy: 0, degraded: 0, failed: 0, unknown: 0 });
  });
});

describe('filterServices', () => {
  it('keeps every service, as the same list, for all and no search', () => {
    expect(filterServices(fleet, 'all', '  ')).toBe(fleet);
  });

  it('keeps the services of one health, in their order', () => {
    expect(names(filterServices(fleet, 'healthy', ''))).toEqual(['payments-api', 'search']);
    expect(names(filterServices(fleet, 'unknown', ''))).toEqual(['new-service']);
  });

  it('searches names ignoring case, every word anywhere in the name', () => {
    expect(names(filterServices(fleet, 'all', 'PAY'))).toEqual(['payments-api', 'payments-worker']);
    expect(names(filterServices(fleet, 'all', 'work pay'))).toEqual(['payments-worker']);
    expect(names(filterServices(fleet, 'all', 'nothing'))).toEqual([]);
  });

  it('combines the health and the search', () => {
    expect(names(filterServices(fleet, 'degraded', 'pay'))).toEqual(['payments-worker']);
    expect(names(filterServices(fleet, 'failed', 'pay'))).toEqual([]);
  });
});
