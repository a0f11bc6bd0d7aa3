import {
  CircuitBreakerMonitor,
  clientErrorCodes,
  isClientError,
  type ReconnectAttempt,
  type ServiceSnapshot,
  type ServiceUpdateMessage,
} from '@breakwater/client';
import { WebSocket } from 'ws';
import { exitCodes } from '../remote/exit-codes';
import {
  type Failure,
  failure,
  requestTimeoutMs,
  tokenFailure,
  unreachableMessage,
} from '../remote/monitor-request';
import type { MonitorTarget } from '../remote/monitor-target';

/** The stream's path under the monitor's base URL. */
const streamRoute = 'api/v2/ws/circuit-breaker';

/** What `watch` asks of the stream: a viewer's right to watch every service. */
const watching = { doing: 'watch the services', role: 'viewer' } as const;

/** How a stream ended: stopped by the caller, or a failure to report. */
export type StreamEnd =
  | { readonly stopped: true }
  | { readonly stopped: false; readonly failure: Failure };

export interface StreamHandlers {
  /** Every service as now merged, and the update that changed them (the first carries every service). */
  readonly onUpdate: (services: readonly ServiceSnapshot[], message: ServiceUpdateMessage) => void;
  /** The connection was lost after it had been accepted, and `attempt` will try again; or it is back. */
  readonly onConnection?: (
    status: 'connected' | 'reconnecting',
    attempt?: ReconnectAttempt,
  ) => void;
}

export interface MonitorStream {
  /** Resolves when the stream ends. Never rejects. */
  readonly ended: Promise<StreamEnd>;
  /** Disconnects for good; `ended` then resolves as stopped. */
  stop(): void;
}

/** `ws://…/api/v2/ws/circuit-breaker` (or wss) for the monitor at `target`, without credentials. */
export function streamUrl(target: MonitorTarget): URL {
  const url = new URL(streamRoute, target.base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.username = '';
  url.password = '';
  return url;
}

/**
 * Watches the monitor's stream through `@breakwater/client`'s
 * `CircuitBreakerMonitor` (on `ws`): it subscribes, merges updates in
 * timestamp order, and — with `reconnect` — comes back after the monitor
 * restarts. A first connection that fails ends the stream at once with the
 * reason (nothing listens there, unknown host, not a monitor), as the other
 * commands report an unreachable monitor; a refused token (4001) ends it too.
 */
export function openMonitorStream(
  target: MonitorTarget,
  handlers: StreamHandlers,
  options: { readonly reconnect: boolean },
): MonitorStream {
  const { token } = target;
  if (token === undefined) return ended(tokenFailure(target, watching, 'no token'));

  // The client sees close codes only; the socket's own error says why a connection failed.
  let socketError: Error | undefined;
  class DiagnosedWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { handshakeTimeout: requestTimeoutMs });
      this.on('error', (error) => {
        socketError = error;
      });
    }
  }

  let monitor: CircuitBreakerMonitor;
  try {
    monitor = new CircuitBreakerMonitor({
      url: streamUrl(target),
      token,
      WebSocket: DiagnosedWebSocket,
      reconnect: options.reconnect ? {} : false,
    });
  } catch (error) {
    if (!isClientError(error, clientErrorCodes.invalidConfig)) throw error;
    return ended(tokenFailure(target, watching, 'it is not a JWT'));
  }

  let accepted = false;
  let stopping = false;
  let problem: Failure | undefined;
  const lost = (): Failure => connectionFailure(target, socketError, accepted);

  monitor.on('serviceUpdate', (services, message) => {
    if (!stopping) handlers.onUpdate(services, message);
  });
  monitor.on('error', (error) => {
    if (error.code === clientErrorCodes.tokenRefused) {
      problem = tokenFailure(target, watching, 'authentication failed');
    }
  });
  const end = new Promise<StreamEnd>((resolve) => {
    monitor.on('connectionStatus', (status, attempt) => {
      switch (status) {
        case 'connected':
          accepted = true;
          socketError = undefined;
          handlers.onConnection?.('connected');
          return;
        case 'reconnecting':
          // Never connected: the monitor is not there. Say so now rather than retry for ever.
          if (!accepted) {
            problem ??= lost();
            monitor.disconnect();
            return;
          }
          handlers.onConnection?.('reconnecting', attempt);
          return;
        case 'disconnected':
          if (problem !== undefined) resolve({ stopped: false, failure: problem });
          else if (stopping) resolve({ stopped: true });
          else resolve({ stopped: false, failure: lost() });
          return;
      }
    });
  });

  return {
    ended: end,
    stop() {
      stopping = true;
      monitor.disconnect();
    },
  };
}

/** Why the stream could not be had: the socket's error when there is one. */
function connectionFailure(
  target: MonitorTarget,
  error: Error | undefined,
  accepted: boolean,
): Failure {
  const status = /Unexpected server response: (\d+)/.exec(error?.message ?? '')?.[1];
  if (status !== undefined) {
    return failure(
      exitCodes.failed,
      `the server at ${target.shown} answered the stream's upgrade with ${status}: is it a Breakwater monitor? (check --url or BREAKWATER_URL)`,
    );
  }
  if (error !== undefined && !accepted) {
    return failure(exitCodes.unreachable, unreachableMessage(target, timeoutAware(error)));
  }
  return failure(
    exitCodes.unreachable,
    `the monitor at ${target.shown} ended the stream. Run 'breakwater watch' again once it is back.`,
  );
}

function ended(problem: Failure): MonitorStream {
  return { ended: Promise.resolve({ stopped: false, failure: problem }), stop() {} };
}

/** ws reports a handshake timeout as a plain error; name it as fetch names its own. */
function timeoutAware(error: Error): Error {
  return /handshake has timed out/i.test(error.message)
    ? Object.assign(new Error(error.message), { name: 'TimeoutError' })
    : error;
}
