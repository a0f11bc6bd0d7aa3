import { useNow } from '../live/use-now';
import { formatCountdown, formatRelativeTime } from './time-format';

/** Time left until `deadline` (epoch ms), ticking with the page's shared timer. */
export function Countdown({ deadline }: { readonly deadline: number }) {
  const now = useNow();
  return <time dateTime={new Date(deadline).toISOString()}>{formatCountdown(deadline - now)}</time>;
}

/** How long ago `at` (ISO 8601) was, ticking with the page's shared timer; the exact time on hover. */
export function RelativeTime({ at }: { readonly at: string }) {
  const now = useNow();
  const then = Date.parse(at);
  if (Number.isNaN(then)) return <span>{at}</span>;
  return (
    <time dateTime={at} title={new Date(then).toLocaleString()}>
      {formatRelativeTime(then, now)}
    </time>
  );
}
