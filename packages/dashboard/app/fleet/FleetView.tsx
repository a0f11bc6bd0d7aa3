import './fleet.css';
import { useId, useMemo } from 'react';
import type { MonitorHttp } from '../api/monitor-http';
import { RelativeTime } from '../format/LiveTime';
import { formatCount, phaseLabels } from '../format/labels';
import { TextCell } from '../format/TextCell';
import { formatAge, formatTimestamp } from '../format/time-format';
import type { FleetResponse, SharingStatus } from './fleet-api';
import { describeDisagreement, fleetDisagreements } from './fleet-disagreements';
import { type FleetRow, fleetRows } from './fleet-rows';
import { fleetOf } from './fleet-state';
import { useFleet } from './use-fleet';

/**
 * Every instance of the fleet as the monitor hears them, refreshed every 2 s
 * while shown: this monitor's sharing, the breakers the instances disagree
 * on, and a row per instance.
 */
export function FleetView({ http }: { readonly http: MonitorHttp }) {
  const state = useFleet(http);
  const fleet = fleetOf(state);
  return (
    <section className="bw-fleet" aria-label="Fleet" aria-busy={state.status === 'loading'}>
      {state.status === 'loading' && <p className="bw-empty bw-loading">Loading the fleet…</p>}
      {state.status === 'failed' && (
        <p className="bw-alert" role="alert">
          The fleet cannot be read: {state.message}
          {fleet !== undefined && ' (showing the last answer)'}
        </p>
      )}
      {fleet !== undefined && <Fleet fleet={fleet} />}
    </section>
  );
}

function Fleet({ fleet }: { readonly fleet: FleetResponse }) {
  const rows = useMemo(() => fleetRows(fleet.instances, fleet.sharing), [fleet]);
  const disagreements = useMemo(() => fleetDisagreements(fleet.instances), [fleet]);
  const answeredAt = Date.parse(fleet.timestamp);
  const disagreementsId = useId();
  return (
    <>
      <Sharing sharing={fleet.sharing} />
      {disagreements.length > 0 && (
        <section className="bw-fleet-disagreements" aria-labelledby={disagreementsId}>
          <h2 id={disagreementsId} className="bw-fleet-heading">
            The instances disagree on {disagreements.length}{' '}
            {disagreements.length === 1 ? 'breaker' : 'breakers'}
          </h2>
          <ul>
            {disagreements.map((disagreement) => (
              <li key={disagreement.breaker} data-disagreement={disagreement.breaker}>
                {describeDisagreement(disagreement)}
              </li>
            ))}
          </ul>
        </section>
      )}
      {rows.length === 0 ? (
        <p className="bw-empty">No instance has reported yet.</p>
      ) : (
        <div className="bw-table-wrap">
          <table className="bw-table" aria-label="Instances">
            <thead>
              <tr>
                <th scope="col">Instance</th>
                <th scope="col">Mode</th>
                <th scope="col">Last heard</th>
                <th scope="col">Breakers</th>
                <th scope="col">Calls</th>
                <th scope="col">Not closed</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <InstanceRow key={row.instance} row={row} answeredAt={answeredAt} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="bw-muted bw-fleet-footnote">
        Instances heard from in the last 3 s; refreshed every 2 s.
      </p>
    </>
  );
}

function Sharing({ sharing }: { readonly sharing: SharingStatus | null }) {
  if (sharing === null)
    return <p className="bw-note">This monitor's registry is not shared: it has no fleet.</p>;
  const since = new Date(sharing.since).toISOString();
  return (
    <p className={`bw-fleet-sharing bw-fleet-sharing-${sharing.mode}`} data-sharing={sharing.mode}>
      This monitor is <strong>{sharing.mode}</strong>
      {sharing.mode === 'shared' ? ' (in step with the fleet)' : ' (cut off from the fleet)'} since{' '}
      <time dateTime={since}>{formatTimestamp(since)}</time>{' '}
      <span className="bw-muted">
        (<RelativeTime at={since} />)
      </span>
      {sharing.reason !== null && (
        <>
          : <span className="bw-fleet-reason">{sharing.reason}</span>
        </>
      )}
    </p>
  );
}

function InstanceRow({ row, answeredAt }: { readonly row: FleetRow; readonly answeredAt: number }) {
  const heard = new Date(row.at).toISOString();
  return (
    <tr data-instance={row.instance} data-mode={row.mode}>
      <th scope="row" className="bw-fleet-instance">
        <code>{row.instance}</code>
        {row.isThisMonitor && <span className="bw-fleet-self"> this monitor</span>}{' '}
      </th>
      <TextCell className={`bw-fleet-mode-${row.mode}`}>{row.mode}</TextCell>
      <TextCell>
        <time dateTime={heard} title={formatTimestamp(heard)}>
          {formatAge(answeredAt - row.at)}
        </time>
      </TextCell>
      <TextCell className="bw-fleet-number">{formatCount(row.breakerCount)}</TextCell>
      <TextCell className="bw-fleet-number">{formatCount(row.calls)}</TextCell>
      <TextCell>
        {row.notClosed.length === 0 ? (
          <span className="bw-muted">none</span>
        ) : (
          <ul className="bw-fleet-breakers">
            {row.notClosed.map(({ name, state }) => (
              <li key={name} data-breaker={name} data-state={state}>
                <code>{name}</code>{' '}
                <span className={`bw-phase bw-phase-${state}`}>{phaseLabels[state]}</span>{' '}
              </li>
            ))}
          </ul>
        )}
      </TextCell>
    </tr>
  );
}
