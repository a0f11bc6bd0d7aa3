import { describe, expect, it } from 'vitest';
import { ReportDemand } from '../src/shared/report-demand';

describe('ReportDemand', () => {
  it('wants nothing until someone asks', () => {
    expect(new ReportDemand(1_000).wanted(0)).toBe(false);
  });

  it('keeps wanting reports for three intervals after a request, then stops', () => {
    const demand = new ReportDemand(1_000);
    demand.heard('monitor-a', 10_000);
    expect(demand.wanted(12_999)).toBe(true);
    expect(demand.wanted(13_000)).toBe(false);
  });

  it('reports at once for a new or returning asker, not for every repeated request', () => {
    const demand = new ReportDemand(1_000);
    expect(demand.heard('monitor-a', 0)).toBe(true);
    expect(demand.heard('monitor-a', 1_000)).toBe(false);
    expect(demand.heard('monitor-b', 1_500)).toBe(true);
    expect(demand.heard('monitor-a', 2_000)).toBe(false);
    expect(demand.heard('monitor-b', 2_500)).toBe(false);
    // monitor-a falls silent for three intervals, then asks again.
    expect(demand.heard('monitor-b', 4_600)).toBe(false);
    expect(demand.heard('monitor-a', 5_000)).toBe(true);
  });

  it('is kept alive by any asker that goes on asking', () => {
    const demand = new ReportDemand(1_000);
    demand.heard('monitor-a', 0);
    for (let at = 1_000; at <= 10_000; at += 1_000) demand.heard('monitor-b', at);
    expect(demand.wanted(12_000)).toBe(true);
    expect(demand.heard('monitor-a', 12_000)).toBe(true);
  });

  it('remembers at most 1,000 askers, forgetting the longest silent', () => {
    const demand = new ReportDemand(1_000_000);
    for (let asker = 0; asker <= 1_000; asker++) demand.heard(`monitor-${asker}`, asker);
    expect(demand.heard('monitor-0', 2_000)).toBe(true);
    expect(demand.heard('monitor-1000', 2_001)).toBe(false);
  });
});
