import { useEffect, useReducer } from 'react';
import type { MonitorHttp } from '../api/monitor-http';
import { startPolling } from '../detail/poll-loop';
import { usePageVisible } from '../live/use-page-visible';
import { type FleetResponse, fleetPath } from './fleet-api';
import { type FleetState, loadingFleet, nextFleetState } from './fleet-state';

/** Ms between two reads of the fleet: instances report every second and drop out after 3 s. */
export const fleetRefreshMs = 2_000;

/**
 * `GET /api/fleet` now and every 2 s while mounted and the page is shown;
 * polling stops on unmount and while the page is hidden, and starts again
 * (with a read at once) when it is shown again. What was shown stays meanwhile.
 */
export function useFleet(http: MonitorHttp): FleetState {
  const [state, dispatch] = useReducer(nextFleetState, loadingFleet);
  const visible = usePageVisible();

  useEffect(() => {
    if (!visible) return;
    let stopped = false;
    const stop = startPolling(async () => {
      try {
        const fleet = await http.fetchJson<FleetResponse>(fleetPath);
        if (!stopped) dispatch({ type: 'loaded', fleet });
      } catch (error) {
        if (!stopped) dispatch({ type: 'failed', error });
      }
    }, fleetRefreshMs);
    return () => {
      stopped = true;
      stop();
    };
  }, [http, visible]);

  return state;
}
