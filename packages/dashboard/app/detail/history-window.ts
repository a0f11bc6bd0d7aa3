import type { HistoryPoint } from './detail-api';

/** How far back the charts reach: the hour the monitor keeps by default. */
export const chartSpanMs = 3_600_000;

/** The most points kept: as many as the monitor keeps by default (an hour at one per 5 s). */
export const chartMaxPoints = 720;

/**
 * The points to chart after a refresh: `kept` followed by the `incoming`
 * points newer than its last one (a refresh asks only for those, with
 * `?since=`), without the points older than `spanMs` before the newest
 * and at most the last `maxPoints` (a monitor sampling faster than every
 * 5 s keeps a shorter stretch, and so do the charts). Returns `kept` itself
 * when nothing is new, so a quiet refresh re-renders nothing.
 */
export function mergeHistory(
  kept: readonly HistoryPoint[],
  incoming: readonly HistoryPoint[],
  spanMs: number = chartSpanMs,
  maxPoints: number = chartMaxPoints,
): readonly HistoryPoint[] {
  const last = kept.at(-1)?.at ?? Number.NEGATIVE_INFINITY;
  const fresh = incoming.filter((point) => point.at > last);
  if (fresh.length === 0) return kept;
  const merged = [...kept, ...fresh].sort((a, b) => a.at - b.at);
  const newest = merged.at(-1)?.at ?? 0;
  const first = merged.findIndex((point) => point.at > newest - spanMs);
  return merged.slice(Math.max(first, merged.length - maxPoints));
}

/**
 * The stretches, as [start, end] in epoch ms, when the circuit rejected calls
 * (open or forced open): each point stands for the half interval either side
 * of it, clipped to the series, so a single open sample still shows.
 */
export function rejectingSpans(
  points: readonly HistoryPoint[],
  interval: number,
): Array<[number, number]> {
  const first = points[0]?.at;
  const last = points.at(-1)?.at;
  if (first === undefined || last === undefined) return [];
  const spans: Array<[number, number]> = [];
  let start: number | undefined;
  let end = 0;
  for (const point of points) {
    if (point.state === 'open' || point.state === 'forced-open') {
      start ??= Math.max(first, point.at - interval / 2);
      end = Math.min(last, point.at + interval / 2);
    } else if (start !== undefined) {
      spans.push([start, end]);
      start = undefined;
    }
  }
  if (start !== undefined) spans.push([start, end]);
  return spans;
}
