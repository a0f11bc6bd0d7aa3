import type { HistoryPoint } from './detail-api';

/** uPlot's columns: x first (seconds, as uPlot's time scale wants), then one array per series. */
export type ChartColumns = [x: number[], ...series: Array<Array<number | null>>];

/** What the three charts plot, each in uPlot's column form. */
export interface DetailChartData {
  /** Calls that ran per second, then calls rejected per second. */
  readonly calls: ChartColumns;
  /** Failure rate in percent (0..100). */
  readonly failureRate: ChartColumns;
  /** p95 latency in ms. */
  readonly p95: ChartColumns;
}

/**
 * The charts' data from the history points (oldest first). The server
 * already gives rates per interval, so the values pass through; a null (no
 * earlier sample, no settled or timed call) stays null and uPlot leaves a
 * gap rather than drawing a zero that was never measured.
 */
export function detailChartData(points: readonly HistoryPoint[]): DetailChartData {
  const x = points.map((point) => point.at / 1000);
  return {
    calls: [
      x,
      points.map((point) => point.callsPerSecond),
      points.map((point) => point.rejectedPerSecond),
    ],
    failureRate: [x, points.map((point) => percent(point.failureRate))],
    p95: [x, points.map((point) => point.p95)],
  };
}

function percent(fraction: number | null): number | null {
  return fraction === null ? null : Math.round(fraction * 10_000) / 100;
}

/**
 * The indices to mark with a dot on a line drawn across gaps: every measured
 * value when there are at most `max` (a lone one would draw no line at
 * all), none otherwise (the line shows them).
 */
export function sparseMarks(values: ReadonlyArray<number | null>, max = 20): number[] {
  const measured: number[] = [];
  for (let index = 0; index < values.length; index++) {
    if (values[index] !== null && values[index] !== undefined) measured.push(index);
    if (measured.length > max) return [];
  }
  return measured;
}
