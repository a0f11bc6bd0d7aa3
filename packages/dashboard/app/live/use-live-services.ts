import {
  CircuitBreakerMonitor,
  type ClientError,
  type ConnectionStatus,
  type ServiceSnapshot,
} from '@breakwater/client';
import { useEffect, useState } from 'react';
import { noteArrival } from './arrivals';
import { markUpdateArrived } from './render-timing';
import { keepUnchanged } from './stable-snapshots';
import { streamUrl } from './stream-url';

export interface LiveServices {
  /** Every service, in the monitor's order; an unchanged snapshot keeps its identity across updates. */
  readonly services: readonly ServiceSnapshot[];
  /** The stream's connection status (`disconnected` until the first connection). */
  readonly connection: ConnectionStatus;
  /** The next attempt while `reconnecting`: its number and when it starts (epoch ms). */
  readonly reconnect: { readonly attempt: number; readonly at: number } | undefined;
  /** The last problem the stream reported (cleared once connected again). */
  readonly problem: string | undefined;
}

const initial: LiveServices = {
  services: [],
  connection: 'disconnected',
  reconnect: undefined,
  problem: undefined,
};

/**
 * The monitor's live state over the page's own WebSocket for `token`: one
 * `CircuitBreakerMonitor` while the component is mounted, disconnected when
 * it unmounts or the token changes. A refused token (close code 4001) calls
 * `onRefused` with the monitor's reason; the client does not retry it.
 */
export function useLiveServices(token: string, onRefused: (reason: string) => void): LiveServices {
  const [live, setLive] = useState(initial);

  useEffect(() => {
    const monitor = new CircuitBreakerMonitor({ url: streamUrl(window.location), token });
    let held: readonly ServiceSnapshot[] = [];
    const stops = [
      monitor.on('serviceUpdate', (services) => {
        markUpdateArrived();
        const now = Date.now();
        held = keepUnchanged(held, services);
        for (const snapshot of held) noteArrival(snapshot, now);
        const current = held;
        setLive((state) => (state.services === current ? state : { ...state, services: current }));
      }),
      monitor.on('connectionStatus', (connection, reconnect) => {
        setLive((state) => ({
          ...state,
          connection,
          reconnect:
            reconnect === undefined
              ? undefined
              : { attempt: reconnect.attempt, at: Date.now() + reconnect.delay },
          problem: connection === 'connected' ? undefined : state.problem,
        }));
      }),
      monitor.on('error', (error: ClientError) => {
        if (error.code === 'BW_TOKEN_REFUSED') onRefused(error.message);
        else setLive((state) => ({ ...state, problem: error.message }));
      }),
    ];
    return () => {
      for (const stop of stops) stop();
      monitor.disconnect();
      setLive(initial);
    };
  }, [token, onRefused]);

  return live;
}
