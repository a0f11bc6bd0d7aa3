import type { Server } from 'node:http';
import type { Clock } from '@breakwater/core';
import type { Alerter } from './alerts';
import type { CircuitBreakerStream } from './ws';

/** How long `monitor.stop()` lets connections and webhook deliveries finish by default, ms. */
export const defaultShutdownTimeout = 5_000;

/** What a running monitor holds open, and how long it may take to let go. */
export interface OpenParts {
  readonly server: Server | undefined;
  readonly stream: CircuitBreakerStream | undefined;
  readonly alerter: Alerter | undefined;
  /** Ms the parts get to finish on their own before they are cut. */
  readonly timeout: number;
  readonly clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>;
}

/**
 * Closes a running monitor's connections in bounded time. At once: the
 * server stops accepting, idle keep-alive connections end, every WebSocket
 * client is sent close 1001 (going away), and webhooks stop retrying. Within
 * `timeout`, requests in progress may finish, clients may complete the close
 * handshake and queued alerts get one attempt each. Then whatever is left is
 * cut: HTTP connections are destroyed (a request that is only half sent
 * included), WebSocket clients terminated (one that does not read never
 * completes the handshake), webhook attempts aborted. Resolves once all of
 * it is closed.
 */
export async function closeOpenParts(parts: OpenParts): Promise<void> {
  const { server, stream, alerter, timeout, clock } = parts;
  const deadline = new AbortController();
  const cut = () => {
    server?.closeAllConnections();
    stream?.terminate();
  };
  deadline.signal.addEventListener('abort', cut, { once: true });
  const timer = clock.setTimeout(() => deadline.abort(), timeout);
  (timer as { unref?: () => void } | null)?.unref?.();
  try {
    const serverClosed =
      server === undefined
        ? undefined
        : new Promise<void>((resolve) => server.close(() => resolve()));
    server?.closeIdleConnections();
    await Promise.all([
      serverClosed,
      stream?.close(),
      // Aborted attempts settle a moment later; the deadline does not wait for their log lines.
      alerter === undefined
        ? undefined
        : untilAborted(alerter.stop(deadline.signal), deadline.signal),
    ]);
  } finally {
    clock.clearTimeout(timer);
    deadline.signal.removeEventListener('abort', cut);
  }
}

/** Resolves when `work` settles or `signal` aborts, whichever comes first. */
function untilAborted(work: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    work.then(done, done);
  });
}
