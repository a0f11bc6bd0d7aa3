import type { ServiceSnapshot } from '@breakwater/protocol';
import { formatDuration } from './chart-format';

/** The service's name and current state from the live snapshot, with the close button. */
export function DetailHeader({
  name,
  snapshot,
  onClose,
}: {
  name: string;
  snapshot: ServiceSnapshot | undefined;
  onClose: () => void;
}) {
  return (
    <header className="bw-detail-header">
      <div className="bw-detail-title">
        <h2 className="bw-detail-name">{name}</h2>
        {snapshot === undefined ? (
          <span className="bw-detail-badge bw-detail-badge--unknown">no live data</span>
        ) : (
          <>
            <span className={`bw-detail-badge bw-detail-badge--${snapshot.status}`}>
              {snapshot.status}
            </span>
            <span className={`bw-detail-state bw-detail-state--${snapshot.circuit.phase}`}>
              {snapshot.circuit.phase}
            </span>
          </>
        )}
        <button type="button" className="bw-detail-close" onClick={onClose}>
          Close
        </button>
      </div>
      {snapshot === undefined ? null : <SnapshotFacts snapshot={snapshot} />}
    </header>
  );
}

function SnapshotFacts({ snapshot }: { snapshot: ServiceSnapshot }) {
  const { circuit, operations } = snapshot;
  return (
    <dl className="bw-detail-facts">
      <Fact term="Failures counted" value={circuit.failureCount} />
      <Fact term="Calls" value={operations.total} />
      <Fact term="Failed" value={operations.failed} />
      <Fact term="Rejected" value={operations.rejected} />
      <Fact term="Recovery attempts" value={circuit.recoveryAttempts} />
      {circuit.recoveryIn === null ? null : (
        <Fact term="Next trial in" value={formatDuration(circuit.recoveryIn)} />
      )}
      {circuit.lastFailure === null ? null : (
        <Fact term="Last failure" value={new Date(circuit.lastFailure).toLocaleString()} />
      )}
      {circuit.degradedBy.length === 0 ? null : (
        <Fact term="Degraded by" value={circuit.degradedBy.join(', ')} />
      )}
    </dl>
  );
}

function Fact({ term, value }: { term: string; value: string | number }) {
  return (
    <div className="bw-detail-fact">
      <dt>{term}</dt>
      <dd>{value}</dd>
    </div>
  );
}
