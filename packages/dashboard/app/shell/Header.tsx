import type { LiveServices } from '../live/use-live-services';
import type { TokenIdentity } from '../session/jwt-payload';
import { ConnectionIndicator } from './ConnectionIndicator';

interface HeaderProps {
  readonly identity: TokenIdentity;
  readonly live: LiveServices;
  readonly onSignOut: () => void;
}

/** The brand, the stream's status, who is signed in and with which role. */
export function Header({ identity, live, onSignOut }: HeaderProps) {
  return (
    <header className="bw-header">
      <span className="bw-brand">Breakwater</span>
      <ConnectionIndicator
        connection={live.connection}
        reconnect={live.reconnect}
        problem={live.problem}
      />
      <div className="bw-identity">
        <span>
          Signed in as <strong>{identity.sub}</strong>{' '}
          <span className={`bw-role bw-role-${identity.role === 'admin' ? 'admin' : 'viewer'}`}>
            {identity.role}
          </span>
        </span>
        <button type="button" className="bw-button bw-button-quiet" onClick={onSignOut}>
          Sign out
        </button>
      </div>
    </header>
  );
}
