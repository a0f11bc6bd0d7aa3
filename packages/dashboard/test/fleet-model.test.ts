import type { StateName } from '@breakwater/core';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../app/api/api-error';
import type { FleetResponse, InstanceReport } from '../app/fleet/fleet-api';
import { describeDisagreement, fleetDisagreements } from '../app/fleet/fleet-disagreements';
import { fleetRows } from '../app/fleet/fleet-rows';
import { fleetOf, loadingFleet, nextFleetState } from '../app/fleet/fleet-state';
import { formatAge } from '../app/format/time-format';

const at = Date.UTC(2026, 10, 23, 12, 0, 0);

/** A report of `instance` with each breaker in the given state and `attempts` calls. */
function report(
  instance: string,
  breakers: Record<string, StateName | [StateName, number]>,
  mode: InstanceReport['mode'] = 'shared',
): InstanceReport {
  return {
    instance,
    at,
    mode,
    breakers: Object.fromEntries(
      Object.entries(breakers).map(([name, entry]) => {
        const [state, attempts] = Array.isArray(entry) ? entry : [entry, 0];
        const totals = {
          attempts,
          successes: attempts,
          failures: 0,
          ignored: 0,
          rejected: 0,
          timeouts: 0,
        };
        return [name, { state, totals }];
      }),
    ),
  };
}

const sharing = {
  mode: 'shared',
  instance: 'host-a:1:x',
  since: at - 60_000,
  reason: null,
} as const;

describe('fleetRows', () => {
  it('gives one row per instance in the monitor’s order, marking its own', () => {
    const rows = fleetRows(
      [
        report('host-a:1:x', { search: 'closed' }),
        report('host-b:2:y', { search: 'closed' }, 'degraded'),
      ],
      sharing,
    );
    expect(
      rows.map(({ instance, isThisMonitor, mode }) => ({ instance, isThisMonitor, mode })),
    ).toEqual([
      { instance: 'host-a:1:x', isThisMonitor: true, mode: 'shared' },
      { instance: 'host-b:2:y', isThisMonitor: false, mode: 'degraded' },
    ]);
  });

  it('counts the breakers and adds up their attempts as the calls in all', () => {
    const [row] = fleetRows(
      [
        report('host-a:1:x', {
          search: ['closed', 120],
          database: ['open', 7],
          payments: 'closed',
        }),
      ],
      sharing,
    );
    expect(row?.breakerCount).toBe(3);
    expect(row?.calls).toBe(127);
    expect(row?.at).toBe(at);
  });

  it('lists the breakers not closed, by name, with their state', () => {
    const [row] = fleetRows(
      [
        report('host-a:1:x', {
          search: 'forced-open',
          database: 'open',
          cache: 'half-open',
          web: 'closed',
          mail: 'disabled',
        }),
      ],
      sharing,
    );
    expect(row?.notClosed).toEqual([
      { name: 'cache', state: 'half-open' },
      { name: 'database', state: 'open' },
      { name: 'mail', state: 'disabled' },
      { name: 'search', state: 'forced-open' },
    ]);
  });

  it('marks no row as this monitor’s without a sharing status', () => {
    const rows = fleetRows([report('host-a:1:x', {})], null);
    expect(rows[0]?.isThisMonitor).toBe(false);
    expect(rows[0]?.breakerCount).toBe(0);
    expect(rows[0]?.notClosed).toEqual([]);
  });

  it('gives no row for an empty fleet', () => {
    expect(fleetRows([], sharing)).toEqual([]);
  });
});

describe('fleetDisagreements', () => {
  it('finds none while every instance sees every breaker in the same state', () => {
    const instances = [
      report('a', { search: 'open', database: 'closed' }),
      report('b', { search: 'open', database: 'closed' }),
    ];
    expect(fleetDisagreements(instances)).toEqual([]);
  });

  it('names the odd ones out first and the state most instances are in last', () => {
    const instances = [
      report('a', { 'market-data': 'closed' }),
      report('b', { 'market-data': 'open' }),
      report('c', { 'market-data': 'closed' }),
    ];
    const disagreements = fleetDisagreements(instances);
    expect(disagreements).toEqual([
      {
        breaker: 'market-data',
        instanceCount: 3,
        groups: [
          { state: 'open', instances: ['b'] },
          { state: 'closed', instances: ['a', 'c'] },
        ],
      },
    ]);
    expect(disagreements.map(describeDisagreement)).toEqual([
      'market-data: open on 1 of 3 instances (b), closed on 2',
    ]);
  });

  it('compares only the instances that have the breaker', () => {
    const instances = [
      report('a', { search: 'open' }),
      report('b', { search: 'open', extra: 'open' }),
      report('c', { extra: 'closed' }),
    ];
    expect(fleetDisagreements(instances).map(describeDisagreement)).toEqual([
      'extra: open on 1 of 2 instances (b), closed on 1 (c)',
    ]);
  });

  it('names every instance when no state has most of them, the calmer state last', () => {
    const instances = [
      report('a', { search: 'closed' }),
      report('b', { search: 'half-open' }),
      report('c', { search: 'open' }),
      report('d', { search: 'closed' }),
      report('e', { search: 'half-open' }),
    ];
    expect(fleetDisagreements(instances).map(describeDisagreement)).toEqual([
      'search: open on 1 of 5 instances (c), half-open on 2 (b, e), closed on 2 (a, d)',
    ]);
  });

  it('lists three states, and several breakers by name', () => {
    const instances = [
      report('a', { zeta: 'open', alpha: 'closed' }),
      report('b', { zeta: 'forced-open', alpha: 'open' }),
      report('c', { zeta: 'closed', alpha: 'closed' }),
      report('d', { zeta: 'closed', alpha: 'closed' }),
    ];
    expect(fleetDisagreements(instances).map(describeDisagreement)).toEqual([
      'alpha: open on 1 of 4 instances (b), closed on 3',
      'zeta: forced-open on 1 of 4 instances (b), open on 1 (a), closed on 2',
    ]);
  });
});

describe('nextFleetState', () => {
  const fleet: FleetResponse = {
    timestamp: new Date(at).toISOString(),
    sharing,
    instances: [report('host-a:1:x', {})],
  };

  it('is loading, then shows each answer', () => {
    expect(fleetOf(loadingFleet)).toBeUndefined();
    const ready = nextFleetState(loadingFleet, { type: 'loaded', fleet });
    expect(ready).toEqual({ status: 'ready', fleet });
  });

  it('keeps the last answer when a read fails, with the reason', () => {
    const ready = nextFleetState(loadingFleet, { type: 'loaded', fleet });
    const failed = nextFleetState(ready, {
      type: 'failed',
      error: new ApiError('The monitor cannot be reached (Failed to fetch)', 0),
    });
    expect(failed).toEqual({
      status: 'failed',
      message: 'The monitor cannot be reached (Failed to fetch)',
      fleet,
    });
    expect(nextFleetState(failed, { type: 'failed', error: new Error('again') })).toEqual({
      status: 'failed',
      message: 'again',
      fleet,
    });
  });

  it('fails without data when the first read fails', () => {
    expect(nextFleetState(loadingFleet, { type: 'failed', error: new Error('nope') })).toEqual({
      status: 'failed',
      message: 'nope',
    });
  });
});

describe('formatAge', () => {
  it.each([
    [0, '0.0 s ago'],
    [-250, '0.0 s ago'],
    [420, '0.4 s ago'],
    [2_960, '3.0 s ago'],
    [12_400, '12 s ago'],
    [125_000, '2 minutes ago'],
  ])('%i ms reads %s', (ms, text) => {
    expect(formatAge(ms)).toBe(text);
  });
});
