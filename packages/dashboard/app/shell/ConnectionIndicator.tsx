import { Countdown } from '../format/LiveTime';
import type { LiveServices } from '../live/use-live-services';

type ConnectionIndicatorProps = Pick<LiveServices, 'connection' | 'reconnect' | 'problem'>;

/** The stream's status, carried as `data-connection` for tests and tools. */
export function ConnectionIndicator({ connection, reconnect, problem }: ConnectionIndicatorProps) {
  return (
    <div
      className={`bw-connection bw-connection-${connection}`}
      data-connection={connection}
      role="status"
      title={problem}
    >
      <span className="bw-connection-dot" aria-hidden="true" />
      {connection === 'connected' && 'Live'}
      {connection === 'reconnecting' && (
        <span>
          Reconnecting
          {reconnect !== undefined && (
            <>
              {' '}
              in <Countdown deadline={reconnect.at} /> (attempt {reconnect.attempt})
            </>
          )}
        </span>
      )}
      {connection === 'disconnected' && (problem === undefined ? 'Connecting…' : 'Disconnected')}
    </div>
  );
}
