import type { CircuitPhase, ServiceSnapshot } from '@breakwater/protocol';
import { type MouseEvent, memo } from 'react';
import {
  type CircuitAction,
  circuitActionNames,
  circuitActions,
} from '../controls/circuit-actions';
import { Countdown, RelativeTime } from '../format/LiveTime';
import { formatCount, healthLabels, phaseLabels, phaseMeanings } from '../format/labels';
import { recoveryDeadline } from '../live/arrivals';

export interface ServiceCardProps {
  readonly snapshot: ServiceSnapshot;
  readonly selected: boolean;
  readonly isAdmin: boolean;
  readonly onSelect: (service: string) => void;
  readonly onAction: (service: string, action: CircuitAction) => void;
  readonly onConfigure: (service: string) => void;
}

/**
 * One service: its health (the card's colour), its circuit's state, counts,
 * the countdown to the next trial, the last failure and the dependencies it
 * is degraded by; the controls for admins. Memoised: the list hands the same
 * snapshot object while a service is unchanged, and stable callbacks, so an
 * update re-renders only the cards whose service changed.
 */
export const ServiceCard = memo(function ServiceCard(props: ServiceCardProps) {
  const { snapshot, selected, isAdmin, onSelect } = props;
  const { service, status, circuit, operations } = snapshot;
  const deadline = circuit.phase === 'open' ? recoveryDeadline(snapshot) : undefined;

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the name is the card's button for keyboards; a click anywhere on the card is a convenience for the mouse
    <li
      className={`bw-card bw-health-${status}${selected ? ' bw-card-selected' : ''}`}
      data-service={service}
      data-status={status}
      data-state={circuit.phase}
      onClick={() => onSelect(service)}
    >
      <div className="bw-card-head">
        <h3 className="bw-card-title">
          <button type="button" className="bw-card-name" aria-expanded={selected}>
            {service}
          </button>
        </h3>
        <span className="bw-badge">{healthLabels[status]}</span>
      </div>
      <p className="bw-card-state">
        <span className={`bw-phase bw-phase-${circuit.phase}`}>{phaseLabels[circuit.phase]}</span>
        <span className="bw-muted">{phaseMeanings[circuit.phase]}</span>
      </p>
      {deadline !== undefined && (
        <p className="bw-card-line">
          Next trial in <Countdown deadline={deadline} />
        </p>
      )}
      <dl className="bw-stats bw-stats-circuit">
        <Stat label="Failures" value={circuit.failureCount} />
        <Stat label="Recovery attempts" value={circuit.recoveryAttempts} />
      </dl>
      <dl className="bw-stats bw-stats-operations" aria-label="Operations">
        <Stat label="Calls" value={operations.total} />
        <Stat label="Succeeded" value={operations.successful} />
        <Stat label="Failed" value={operations.failed} />
        <Stat label="Rejected" value={operations.rejected} />
      </dl>
      <p className="bw-card-line bw-muted">
        Last failure:{' '}
        {circuit.lastFailure === null ? 'none' : <RelativeTime at={circuit.lastFailure} />}
      </p>
      {circuit.degradedBy.length > 0 && (
        <p className="bw-card-line bw-card-cause">
          Degraded because of {circuit.degradedBy.join(', ')}
        </p>
      )}
      {isAdmin && (
        <CardControls
          service={service}
          phase={circuit.phase}
          onAction={props.onAction}
          onConfigure={props.onConfigure}
        />
      )}
    </li>
  );
});

function Stat({ label, value }: { readonly label: string; readonly value: number }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{formatCount(value)}</dd>
    </div>
  );
}

interface CardControlsProps {
  readonly service: string;
  readonly phase: CircuitPhase;
  readonly onAction: (service: string, action: CircuitAction) => void;
  readonly onConfigure: (service: string) => void;
}

/** Memoised on the phase: most updates change a card's counts, not what its controls offer. */
const CardControls = memo(function CardControls(props: CardControlsProps) {
  const { service, phase, onAction, onConfigure } = props;
  // The card selects on click: a control must not open the detail too.
  const act = (event: MouseEvent, run: () => void) => {
    event.stopPropagation();
    run();
  };
  return (
    <div className="bw-card-controls">
      {circuitActionNames.map((action) => (
        <button
          key={action}
          type="button"
          className="bw-button bw-button-small"
          disabled={!circuitActions[action].availableIn(phase)}
          onClick={(event) => act(event, () => onAction(service, action))}
        >
          {circuitActions[action].label}
        </button>
      ))}
      <button
        type="button"
        className="bw-button bw-button-small bw-button-quiet"
        onClick={(event) => act(event, () => onConfigure(service))}
      >
        Edit configuration
      </button>
    </div>
  );
});
