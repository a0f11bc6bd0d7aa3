import type { ServiceSnapshot } from '@breakwater/protocol';
import { useLayoutEffect, useMemo, useState } from 'react';
import type { CircuitAction } from '../controls/circuit-actions';
import { measureUpdateRendered } from '../live/render-timing';
import { HealthFilterBar } from './HealthFilterBar';
import { ServiceCard } from './ServiceCard';
import { countByHealth, filterServices, type HealthFilter } from './service-filter';

interface ServicesViewProps {
  readonly services: readonly ServiceSnapshot[];
  readonly selected: string | undefined;
  readonly isAdmin: boolean;
  readonly onSelect: (service: string) => void;
  readonly onAction: (service: string, action: CircuitAction) => void;
  readonly onConfigure: (service: string) => void;
}

/** The card grid with the health filter and the search by name. */
export function ServicesView(props: ServicesViewProps) {
  const { services, selected } = props;
  const [health, setHealth] = useState<HealthFilter>('all');
  const [query, setQuery] = useState('');
  const counts = useMemo(() => countByHealth(services), [services]);
  const shown = useMemo(() => filterServices(services, health, query), [services, health, query]);

  // After the cards of a new update are committed: the render time the bench reads.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs after each commit of a new list
  useLayoutEffect(() => measureUpdateRendered(), [services]);

  return (
    <section className="bw-services" aria-label="Services">
      <div className="bw-toolbar">
        <HealthFilterBar value={health} counts={counts} onChange={setHealth} />
        <input
          type="search"
          className="bw-search"
          aria-label="Search services by name"
          placeholder="Search by name"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
      </div>
      {services.length === 0 ? (
        <p className="bw-empty">Waiting for the monitor to list its services…</p>
      ) : shown.length === 0 ? (
        <p className="bw-empty">No service matches this filter.</p>
      ) : null}
      <ul className="bw-grid">
        {shown.map((snapshot) => (
          <ServiceCard
            key={snapshot.service}
            snapshot={snapshot}
            selected={snapshot.service === selected}
            isAdmin={props.isAdmin}
            onSelect={props.onSelect}
            onAction={props.onAction}
            onConfigure={props.onConfigure}
          />
        ))}
      </ul>
    </section>
  );
}
