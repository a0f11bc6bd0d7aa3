import { useEffect, useState } from 'react';
import type { MonitorHttp } from '../api/monitor-http';
import { startPolling } from '../detail/poll-loop';
import { type FleetResponse, fleetPath } from '../fleet/fleet-api';

/** Ms before asking again while the monitor has not answered yet. */
const retryMs = 10_000;

/**
 * Whether the monitor's registry is shared with a fleet (so the Fleet view
 * has something to show): asked once after sign-in, and again every 10 s
 * only until the monitor has answered. False until then.
 */
export function useFleetSharing(http: MonitorHttp): boolean {
  const [shared, setShared] = useState(false);
  useEffect(() => {
    let done = false;
    const stop = startPolling(async () => {
      const { sharing } = await http.fetchJson<Pick<FleetResponse, 'sharing'>>(fleetPath);
      if (done) return;
      done = true;
      setShared(sharing !== null);
      stop();
    }, retryMs);
    return () => {
      done = true;
      stop();
    };
  }, [http]);
  return shared;
}
