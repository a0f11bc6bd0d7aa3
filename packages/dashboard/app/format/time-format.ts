/**
 * A countdown for people: `45 s`, `2 min 05 s`, `1 h 03 min`. Rounded up to
 * the second, so it never reads 0 s before the time has come; `now` once it
 * has (the trial is admitted with the next call).
 */
export function formatCountdown(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return 'now';
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${pad(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${pad(minutes % 60)} min`;
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

const units: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

/**
 * How long ago `then` was, seen at `now` (both epoch ms), in its largest
 * whole unit: `12 seconds ago`, `3 minutes ago`, `yesterday`. Under five
 * seconds, and for a time slightly ahead of the page's clock (the monitor's
 * clock may run ahead), `just now`.
 */
export function formatRelativeTime(then: number, now: number): string {
  const elapsed = now - then;
  if (elapsed < 5000) return 'just now';
  for (const [unit, size] of units) {
    if (elapsed >= size) return relative.format(-Math.floor(elapsed / size), unit);
  }
  return 'just now';
}

const timestamps = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** An ISO 8601 time in the reader's time zone and format, to the second; the text itself if unreadable. */
export function formatTimestamp(iso: string): string {
  const at = Date.parse(iso);
  return Number.isNaN(at) ? iso : timestamps.format(at);
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/**
 * How long before a reference time something happened, for ages of a few
 * seconds where `just now` would hide the difference: `0.4 s ago`,
 * `12 s ago`, then as `formatRelativeTime` from a minute on. A negative age
 * (clocks apart) reads `0.0 s ago`.
 */
export function formatAge(ms: number): string {
  const age = Math.max(0, ms);
  if (age < 10_000) return `${(age / 1000).toFixed(1)} s ago`;
  if (age < 60_000) return `${Math.floor(age / 1000)} s ago`;
  return formatRelativeTime(0, age);
}
