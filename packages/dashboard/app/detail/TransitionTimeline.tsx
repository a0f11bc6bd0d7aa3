import { type TimelineRow, timeAgo } from './transition-timeline';

/** The service's transitions, newest first, each with its reason and, when known, who made it. */
export function TransitionTimeline({ rows }: { rows: readonly TimelineRow[] }) {
  const now = Date.now();
  return (
    <section className="bw-detail-transitions" aria-label="Transitions">
      <h3 className="bw-detail-heading">Transitions</h3>
      {rows.length === 0 ? (
        <p className="bw-detail-empty">No transitions since the monitor started.</p>
      ) : (
        <ol className="bw-detail-timeline">
          {rows.map((row) => (
            <li key={row.key} className="bw-detail-timeline-row" data-reason={row.reason}>
              <time
                className="bw-detail-when"
                dateTime={new Date(row.at).toISOString()}
                title={new Date(row.at).toLocaleString()}
              >
                {new Date(row.at).toLocaleTimeString()} · {timeAgo(row.at, now)}
              </time>
              <span className="bw-detail-change">
                <StateName state={row.from} /> → <StateName state={row.to} />
              </span>
              <span className="bw-detail-reason">{row.because}</span>
              {row.actor === undefined ? null : (
                <span className="bw-detail-actor">by {row.actor}</span>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function StateName({ state }: { state: string }) {
  return <span className={`bw-detail-state bw-detail-state--${state}`}>{state}</span>;
}
