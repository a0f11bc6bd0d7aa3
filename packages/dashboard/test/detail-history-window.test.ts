import { describe, expect, it } from 'vitest';
import type { HistoryPoint } from '../app/detail/detail-api';
import { chartSpanMs, mergeHistory, rejectingSpans } from '../app/detail/history-window';

const start = Date.UTC(2026, 0, 1);

function point(at: number, state: HistoryPoint['state'] = 'closed'): HistoryPoint {
  return {
    at,
    callsPerSecond: 1,
    rejectedPerSecond: 0,
    failureRate: 0,
    p95: 1,
    state,
    health: state === 'closed' ? 'healthy' : 'failed',
  };
}

const series = (...offsets: number[]) => offsets.map((offset) => point(start + offset));

describe('mergeHistory', () => {
  it('appends the points newer than the last one kept', () => {
    const kept = series(0, 5_000);
    const merged = mergeHistory(kept, series(5_000, 10_000, 15_000));
    expect(merged.map((p) => p.at - start)).toEqual([0, 5_000, 10_000, 15_000]);
  });

  it('returns the kept array itself when nothing is new', () => {
    const kept = series(0, 5_000);
    expect(mergeHistory(kept, [])).toBe(kept);
    expect(mergeHistory(kept, series(0, 5_000))).toBe(kept);
  });

  it('takes the first answer whole, oldest first', () => {
    expect(mergeHistory([], series(10_000, 0, 5_000)).map((p) => p.at - start)).toEqual([
      0, 5_000, 10_000,
    ]);
  });

  it('drops the points older than the span before the newest', () => {
    const kept = series(0, 5_000, 10_000);
    const merged = mergeHistory(kept, series(chartSpanMs + 5_000));
    expect(merged.map((p) => p.at - start)).toEqual([10_000, chartSpanMs + 5_000]);
    expect(
      mergeHistory(series(0, 1_000), series(2_000, 3_000), 1_500).map((p) => p.at - start),
    ).toEqual([2_000, 3_000]);
  });

  it('keeps at most the last maxPoints points', () => {
    const kept = series(0, 250, 500);
    expect(mergeHistory(kept, series(750, 1_000), chartSpanMs, 3).map((p) => p.at - start)).toEqual(
      [500, 750, 1_000],
    );
  });
});

describe('rejectingSpans', () => {
  it('gives each run of open or forced-open points, half an interval either side', () => {
    const points = [
      point(start),
      point(start + 5_000, 'open'),
      point(start + 10_000, 'open'),
      point(start + 15_000, 'half-open'),
      point(start + 20_000, 'forced-open'),
      point(start + 25_000),
    ];
    expect(rejectingSpans(points, 5_000)).toEqual([
      [start + 2_500, start + 12_500],
      [start + 17_500, start + 22_500],
    ]);
  });

  it('clips a run at either end of the series and closes one still open', () => {
    const points = [point(start, 'open'), point(start + 5_000), point(start + 10_000, 'open')];
    expect(rejectingSpans(points, 5_000)).toEqual([
      [start, start + 2_500],
      [start + 7_500, start + 10_000],
    ]);
  });

  it('gives nothing for a closed or empty series', () => {
    expect(rejectingSpans(series(0, 5_000), 5_000)).toEqual([]);
    expect(rejectingSpans([], 5_000)).toEqual([]);
  });
});
