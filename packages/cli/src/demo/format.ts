/** Demo ms as seconds with up to two decimals: 1500 → "1.5s". */
export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(2))}s`;
}

/** A demo duration as the real one it stands for: "45 s", "5 min", "2 min 30 s". */
export function realDuration(demoMs: number, timeScale: number): string {
  const realSeconds = Math.round((demoMs * timeScale) / 1000);
  if (realSeconds < 120) return `${realSeconds} s`;
  const minutes = Math.floor(realSeconds / 60);
  const rest = realSeconds % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

/** A count with thousands separators. */
export function count(value: number): string {
  return value.toLocaleString('en-US');
}

/** Width of the service-name column of every table. */
export const nameWidth = 20;
