import { FakeClock } from '@breakwater/core/testing';
import { describe, expect, it } from 'vitest';
import { InstanceReports } from '../src/shared/instance-reports';

const interval = 1_000;

function reportsOn(clock: FakeClock) {
  const registry = { clock, list: () => [], get: () => undefined };
  return new InstanceReports('monitor', registry, interval, () => 'shared');
}

/** A report of `instance` that says it was made at `at` (its own clock). */
const report = (instance: string, at: number) =>
  JSON.stringify({ instance, at, mode: 'shared', breakers: {} });

describe('InstanceReports', () => {
  it('lists an instance whose clock is far behind, judged by when its report arrived', () => {
    const clock = new FakeClock(1_000_000);
    const reports = reportsOn(clock);
    expect(reports.receive(report('behind', 1_000_000 - 60_000))).toBeUndefined();
    expect(reports.receive(report('ahead', 1_000_000 + 60_000))).toBeUndefined();
    expect(reports.list().map(({ instance }) => instance)).toEqual(['monitor', 'ahead', 'behind']);
  });

  it('drops an instance three intervals after its last report arrived', () => {
    const clock = new FakeClock(1_000_000);
    const reports = reportsOn(clock);
    reports.receive(report('quiet', clock.now()));
    clock.advance(3 * interval);
    expect(reports.list().map(({ instance }) => instance)).toEqual(['monitor', 'quiet']);
    clock.advance(1);
    expect(reports.list().map(({ instance }) => instance)).toEqual(['monitor']);
  });
});
