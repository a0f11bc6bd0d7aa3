import { closeCodes, parseServerMessage, type ServiceUpdateMessage } from '@breakwater/protocol';
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

/** How a stream ended: stopped by the caller, or a failure to report. */
export type StreamEnd =
  | { readonly stopped: true }
  | { readonly stopped: false; readonly failure: Failure };

export interface MonitorStream {
  /** Resolves when the stream ends. Never rejects. */
  readonly ended: Promise<StreamEnd>;
  /** Closes the stream; `ended` then resolves as stopped. */
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
 * Opens the monitor's WebSocket stream with the target's token as the
 * subprotocol, subscribes to every service once connected, and hands each
 * `service:update` to `onUpdate` (the first carries every service). Frames
 * that are not protocol messages are skipped.
 *
 * One connection, no reconnecting: a stream that drops ends with a failure
 * (the monitor is unreachable or went away; a refused token is 4001).
 * `@breakwater/client`'s `CircuitBreakerMonitor`, which reconnects, can
 * take this module's place once it is published.
 */
export function openMonitorStream(
  target: MonitorTarget,
  onUpdate: (message: ServiceUpdateMessage) => void,
): MonitorStream {
  const socket = new WebSocket(
    streamUrl(target),
    target.token === undefined ? [] : [target.token],
    {
      handshakeTimeout: requestTimeoutMs,
    },
  );
  let stopping = false;
  let problem: Failure | undefined;
  const doing = { doing: 'watch the services', role: 'viewer' } as const;

  socket.on('message', (data, isBinary) => {
    if (isBinary) return;
    const parsed = parseServerMessage(String(data));
    if (!parsed.ok) return;
    const { message } = parsed;
    switch (message.type) {
      case 'connection:status':
        socket.send(JSON.stringify({ type: 'subscribe:services' }));
        break;
      case 'service:update':
        if (!stopping) onUpdate(message);
        break;
      case 'error':
        if (message.code === closeCodes.unauthorized) {
          problem = tokenFailure(target, doing, lowerFirst(message.message));
        }
        break;
      default:
        break;
    }
  });
  socket.on('unexpected-response', (_request, response) => {
    problem = failure(
      exitCodes.failed,
      `the server at ${target.shown} answered the stream's upgrade with ${response.statusCode}: is it a Breakwater monitor? (check --url or BREAKWATER_URL)`,
    );
    response.resume();
    socket.terminate();
  });
  socket.on('error', (error) => {
    if (stopping) return;
    problem ??= failure(exitCodes.unreachable, unreachableMessage(target, timeoutAware(error)));
  });

  const ended = new Promise<StreamEnd>((resolve) => {
    socket.on('close', (code) => {
      if (stopping) return resolve({ stopped: true });
      if (problem !== undefined) return resolve({ stopped: false, failure: problem });
      if (code === closeCodes.unauthorized) {
        return resolve({
          stopped: false,
          failure: tokenFailure(target, doing, 'authentication failed'),
        });
      }
      const why =
        code === closeCodes.goingAway
          ? 'it is shutting down'
          : `the connection closed (WebSocket code ${code})`;
      resolve({
        stopped: false,
        failure: failure(
          exitCodes.unreachable,
          `the monitor at ${target.shown} ended the stream: ${why}. Run 'breakwater watch' again once it is back.`,
        ),
      });
    });
  });

  return {
    ended,
    stop() {
      if (stopping) return;
      stopping = true;
      if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
      else socket.close(1000);
    },
  };
}

/** ws reports a handshake timeout as a plain error; name it as fetch names its own. */
function timeoutAware(error: Error): Error {
  return /handshake has timed out/i.test(error.message)
    ? Object.assign(new Error(error.message), { name: 'TimeoutError' })
    : error;
}

function lowerFirst(text: string): string {
  return `${text.charAt(0).toLowerCase()}${text.slice(1)}`;
}
