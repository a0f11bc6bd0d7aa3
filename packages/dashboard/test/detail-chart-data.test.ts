import { describe, expect, it } from 'vitest';
import { detailChartData, sparseMarks } from '../app/detail/chart-data';
import {
  chartStretch,
  formatDuration,
  formatPercent,
  formatRate,
} from '../app/detail/chart-format';

describe('detailChartData', () => {
  it('puts the times in seconds first and each measure in its own column, nulls kept as gaps', () => {
    const at = Date.UTC(2026, 0, 1);
    const data = detailChartData([
      {
        at,
        callsPerSecond: null,
        rejectedPerSecond: null,
        failureRate: null,
        p95: null,
        state: 'closed',
        health: 'unknown',
      },
      {
        at: at + 5_000,
        callsPerSecond: 48.2,
        rejectedPerSecond: 0,
        failureRate: 0.0415,
        p95: 90.112,
        state: 'closed',
        health: 'degraded',
      },
      {
        at: at + 10_000,
        callsPerSecond: 0.4,
        rejectedPerSecond: 51.6,
        failureRate: 1,
        p95: 5767.168,
        state: 'open',
        health: 'failed',
      },
    ]);
    const seconds = [at / 1000, at / 1000 + 5, at / 1000 + 10];
    expect(data.calls).toEqual([seconds, [null, 48.2, 0.4], [null, 0, 51.6]]);
    expect(data.failureRate).toEqual([seconds, [null, 4.15, 100]]);
    expect(data.p95).toEqual([seconds, [null, 90.112, 5767.168]]);
  });

  it('gives empty columns for no points', () => {
    expect(detailChartData([])).toEqual({
      calls: [[], [], []],
      failureRate: [[], []],
      p95: [[], []],
    });
  });
});

describe('chart value formats', () => {
  it.each([
    [0, '0'],
    [0.4, '0.4/s'],
    [48.25, '48/s'],
    [1234, '1.2k/s'],
  ])('writes %s calls per second as %s', (value, text) => {
    expect(formatRate(value)).toBe(text);
  });

  it.each([
    [0, '0%'],
    [4.15, '4.2%'],
    [100, '100%'],
  ])('writes %s percent as %s', (value, text) => {
    expect(formatPercent(value)).toBe(text);
  });

  it.each([
    [0, '0'],
    [0.012, '12 µs'],
    [3.44, '3.4 ms'],
    [120.4, '120 ms'],
    [5767.168, '5.8 s'],
  ])('writes %s ms as %s', (value, text) => {
    expect(formatDuration(value)).toBe(text);
  });
});

describe('chartStretch', () => {
  it.each([
    [5_000, 'The last hour'],
    [10_000, 'The last hour'],
    [250, 'The last 3 min'],
    [50, 'The last 36 s'],
  ])('says what 720 points %s ms apart cover, at most an hour: %s', (interval, text) => {
    expect(chartStretch(interval)).toBe(text);
  });
});

describe('sparseMarks', () => {
  it('marks every measured value when there are few, a lone one included', () => {
    expect(sparseMarks([null, 3, null, null])).toEqual([1]);
    expect(sparseMarks([1, null, 2, null, 3], 3)).toEqual([0, 2, 4]);
  });

  it('marks none when the line has enough values to show them', () => {
    expect(sparseMarks([1, 2, 3, 4], 3)).toEqual([]);
    expect(sparseMarks([null, null])).toEqual([]);
  });
});
