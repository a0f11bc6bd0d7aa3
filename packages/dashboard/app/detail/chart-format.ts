import { chartMaxPoints, chartSpanMs } from './history-window';

/** Calls per second as an axis or legend shows it: `0`, `0.4/s`, `48/s`, `1.2k/s`. */
export function formatRate(perSecond: number): string {
  if (perSecond === 0) return '0';
  if (perSecond >= 1000) return `${trim(perSecond / 1000, 1)}k/s`;
  return `${trim(perSecond, perSecond < 10 ? 1 : 0)}/s`;
}

/** A percentage (0..100): `0%`, `4.2%`, `100%`. */
export function formatPercent(percent: number): string {
  return `${trim(percent, percent < 10 ? 1 : 0)}%`;
}

/** A duration in ms: `12 µs`, `3.4 ms`, `120 ms`, `5.8 s`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0';
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 1000) return `${trim(ms, ms < 10 ? 1 : 0)} ms`;
  return `${trim(ms / 1000, 1)} s`;
}

/**
 * What the charts cover for points `interval` ms apart, in words: the last
 * hour, or less when the monitor samples faster (it keeps 720 points).
 */
export function chartStretch(interval: number): string {
  const ms = Math.min(chartSpanMs, chartMaxPoints * interval);
  if (ms >= chartSpanMs) return 'The last hour';
  if (ms >= 60_000) return `The last ${trim(ms / 60_000, 1)} min`;
  return `The last ${trim(ms / 1000, 0)} s`;
}

/** `value` with at most `decimals` decimals, without trailing zeros. */
function trim(value: number, decimals: number): string {
  return String(Number(value.toFixed(decimals)));
}
