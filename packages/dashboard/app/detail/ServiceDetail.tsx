import type { ServiceSnapshot } from '@breakwater/protocol';
import { useMemo } from 'react';
import { detailChartData } from './chart-data';
import { chartStretch, formatDuration, formatPercent, formatRate } from './chart-format';
import { DetailHeader } from './DetailHeader';
import { rejectingSpans } from './history-window';
import { type ChartLine, TimeChart } from './TimeChart';
import { TransitionTimeline } from './TransitionTimeline';
import { useServiceDetail } from './use-service-detail';
import './service-detail.css';

export interface ServiceDetailProps {
  name: string;
  /** The service's live state from the stream; undefined when the stream has none. */
  snapshot: ServiceSnapshot | undefined;
  /** An authenticated GET on the monitor; throws an Error with the server's message. */
  fetchJson: <T>(path: string) => Promise<T>;
  onClose: () => void;
  /**
   * Name who made each manual transition, from the audit log. Only admins
   * may read it (a viewer's request is refused, and the browser logs the
   * 403), so pass the session's admin flag. Default false.
   */
  showActors?: boolean;
}

const callLines: readonly ChartLine[] = [
  { label: 'Calls', color: '#3b82f6', fill: true },
  { label: 'Rejected', color: '#d64545', dashed: true },
];
const failureLines: readonly ChartLine[] = [
  { label: 'Failure rate', color: '#d89614', fill: true },
];
// Only some calls are timed (latencySampling), so many points have no p95: join the others.
const latencyLines: readonly ChartLine[] = [{ label: 'p95', color: '#8b5cf6', joinGaps: true }];

/**
 * One service in depth: its live state, charts of the last hour (calls per
 * second, failure rate, p95 latency; stretches when the circuit rejected
 * calls shaded) and its transitions with their reasons, refreshed every 5 s.
 */
export function ServiceDetail({
  name,
  snapshot,
  fetchJson,
  onClose,
  showActors = false,
}: ServiceDetailProps) {
  const detail = useServiceDetail(name, fetchJson, showActors);
  const charts = useMemo(() => detailChartData(detail.points), [detail.points]);
  const shaded = useMemo(
    () => rejectingSpans(detail.points, detail.interval),
    [detail.points, detail.interval],
  );
  const failedFirstLoad =
    detail.error !== undefined && detail.points.length === 0 && detail.timeline.length === 0;

  return (
    <section className="bw-detail" aria-label={`Service ${name}`}>
      <DetailHeader name={name} snapshot={snapshot} onClose={onClose} />
      {detail.error === undefined ? null : (
        <p className="bw-detail-error" role="alert">
          {detail.error}
        </p>
      )}
      {detail.loading ? (
        <p className="bw-detail-loading" aria-busy="true">
          Loading history…
        </p>
      ) : failedFirstLoad ? null : (
        <>
          <div className="bw-detail-charts">
            <TimeChart
              title="Calls per second"
              lines={callLines}
              format={formatRate}
              data={charts.calls}
              shaded={shaded}
            />
            <TimeChart
              title="Failure rate"
              lines={failureLines}
              format={formatPercent}
              yMax={100}
              data={charts.failureRate}
              shaded={shaded}
            />
            <TimeChart
              title="p95 latency"
              lines={latencyLines}
              format={formatDuration}
              data={charts.p95}
              shaded={shaded}
            />
          </div>
          <p className="bw-detail-note">
            {detail.points.length < 2
              ? `The monitor takes a sample every ${detail.interval / 1000} s: the charts fill in as they come.`
              : `${chartStretch(detail.interval)}, one point every ${detail.interval / 1000} s; shaded where the circuit rejected calls.`}
          </p>
          <TransitionTimeline rows={detail.timeline} />
        </>
      )}
    </section>
  );
}
