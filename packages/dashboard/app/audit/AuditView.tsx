import type { ServiceSnapshot } from '@breakwater/protocol';
import { useId, useState } from 'react';
import type { MonitorHttp } from '../api/monitor-http';
import { RelativeTime } from '../format/LiveTime';
import { TextCell } from '../format/TextCell';
import { formatTimestamp } from '../format/time-format';
import type { TokenIdentity } from '../session/jwt-payload';
import { describeAuditChange } from './audit-entry';
import { auditEntriesOf, auditPageSize, offersOlder } from './audit-log-state';
import { useAuditLog } from './use-audit-log';

interface AuditViewProps {
  readonly identity: TokenIdentity;
  readonly services: readonly ServiceSnapshot[];
  readonly http: MonitorHttp;
  /** Changes after each action taken from this page, to show it at once. */
  readonly version: number;
}

/** The audit log, for admins; a viewer is told it needs an admin token. */
export function AuditView(props: AuditViewProps) {
  if (props.identity.role !== 'admin') return <AdminOnly identity={props.identity} />;
  return <AuditLog {...props} />;
}

function AdminOnly({ identity }: { readonly identity: TokenIdentity }) {
  return (
    <p className="bw-note">
      The audit log needs an admin token: you are signed in as <strong>{identity.sub}</strong> with
      the role <strong>{identity.role}</strong>.
    </p>
  );
}

function AuditLog({ identity, services, http, version }: AuditViewProps) {
  const [service, setService] = useState('');
  // The newest page when the view opens, after each action, on Refresh and when the filter changes.
  const { log, refresh, showOlder } = useAuditLog(http, service, version);
  const filterId = useId();

  if (log.status === 'forbidden') return <AdminOnly identity={identity} />;
  const entries = auditEntriesOf(log);
  const loading = log.status === 'loading' || log.status === 'loading-older';

  return (
    <section className="bw-audit" aria-label="Audit log" aria-busy={loading}>
      <div className="bw-toolbar">
        <label htmlFor={filterId}>Service</label>
        <select id={filterId} value={service} onChange={(event) => setService(event.target.value)}>
          <option value="">All services</option>
          {services.map(({ service: name }) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
        <button type="button" className="bw-button" onClick={refresh}>
          Refresh
        </button>
        <span className="bw-muted">
          {loading ? 'Loading…' : `Newest first, ${auditPageSize} at a time`}
        </span>
      </div>
      {log.status === 'failed' && log.page === 'newest' && (
        <p className="bw-alert" role="alert">
          The audit log cannot be read: {log.message}
        </p>
      )}
      {entries !== undefined && entries.length === 0 && (
        <p className="bw-empty">
          No entry yet{service === '' ? '' : ` for ${service}`}: actions and configuration changes
          are recorded here.
        </p>
      )}
      {entries !== undefined && entries.length > 0 && (
        <div className="bw-table-wrap">
          <table className="bw-table">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Actor</th>
                <th scope="col">Role</th>
                <th scope="col">Service</th>
                <th scope="col">Action</th>
                <th scope="col">Change</th>
                <th scope="col">Outcome</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id} data-audit-id={entry.id}>
                  <TextCell className="bw-audit-time">
                    <time dateTime={entry.at}>{formatTimestamp(entry.at)}</time>{' '}
                    <span className="bw-muted">
                      <RelativeTime at={entry.at} />
                    </span>
                  </TextCell>
                  <TextCell>{entry.actor.id}</TextCell>
                  <TextCell>{entry.actor.role}</TextCell>
                  <TextCell>{entry.target === '*' ? 'every service' : entry.target}</TextCell>
                  <TextCell>{entry.action}</TextCell>
                  <TextCell className="bw-audit-change">{describeAuditChange(entry)}</TextCell>
                  <TextCell
                    className={entry.outcome === 'ok' ? 'bw-outcome-ok' : 'bw-outcome-refused'}
                  >
                    {entry.outcome}
                  </TextCell>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {log.status === 'failed' && log.page === 'older' && (
        <p className="bw-alert" role="alert">
          Older entries cannot be read: {log.message}
        </p>
      )}
      {offersOlder(log) && (
        <div className="bw-audit-more">
          <button
            type="button"
            className="bw-button"
            onClick={showOlder}
            disabled={log.status === 'loading-older'}
          >
            Show older
          </button>
        </div>
      )}
    </section>
  );
}
