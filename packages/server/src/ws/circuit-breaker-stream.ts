import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type Actor, excerpt, isUnknownServiceError, type Registry } from '@breakwater/core';
import {
  type CircuitActionType,
  closeCodes,
  type ServerMessage,
  type ServiceUpdateMessage,
  toServiceUpdate,
} from '@breakwater/protocol';
import { circuitPhaseSchema } from '@breakwater/protocol/schema';
import { type WebSocket, WebSocketServer } from 'ws';
import { type Refusal, RequestLimits } from '../auth/request-limits';
import { rawErrorAnswer } from '../http/client-errors';
import { httpErrorCodes } from '../http/http-error';
import { TrustedProxies } from '../http/trusted-proxies';
import { type ManualActionName, manualActions } from '../manual-actions';
import { ConnectionCaps } from './connection-caps';
import { type Principal, StreamConnection, type StreamHost } from './stream-connection';

export interface CircuitBreakerStreamOptions {
  /** The fleet to watch. */
  readonly registry: Pick<
    Registry,
    'status' | 'on' | 'reset' | 'forceOpen' | 'disable' | 'release' | 'affectedBy' | 'get'
  >;
  /** Resolves a token to its principal; rejects (or throws) when the token is bad. */
  readonly authenticate: (token: string) => Promise<Principal>;
  /** Upgrade path. Default `/api/v2/ws/circuit-breaker`. */
  readonly path?: string;
  /** Ms between full updates from the shared ticker. Default 5000. */
  readonly updateInterval?: number;
  /**
   * Ms between checks for health changes that come without a state change
   * (recent failures, a dependency's health); each one found is pushed to
   * its subscribers at once. Default 1000.
   */
  readonly healthCheckInterval?: number;
  /** Unsent bytes per connection above which updates to it are skipped; see `ConnectionLimits`. Default 1 MiB. */
  readonly maxBufferedBytes?: number;
  /** Messages a connection may send per minute. Default 60. */
  readonly rateLimitPerMinute?: number;
  /** Largest accepted frame, bytes; a bigger one closes the connection with 1009. Default 16384. */
  readonly maxMessageBytes?: number;
  /** Ms between heartbeat pings; a client that missed the previous one is dropped. Default 30000. */
  readonly heartbeatInterval?: number;
  /** Open connections at most; one more is refused (`error` and close 1013). Default 1000. */
  readonly maxConnections?: number;
  /** Open connections per token at most; one more with that token is refused (1013). Default 20. */
  readonly maxConnectionsPerToken?: number;
  /** Wall time for timestamps and rate windows. Default `Date.now`. */
  readonly clock?: { now(): number };
  /**
   * Failed authentications per client address (shared with the HTTP API by
   * `createMonitor`): an upgrade with a refused token counts, and an address
   * past its budget is answered 429 with `Retry-After`, before its token is
   * checked. Default: 20 a minute, on `clock`.
   */
  readonly limits?: RequestLimits;
  /**
   * Reverse proxies (IP addresses and CIDR subnets) whose `X-Forwarded-For`
   * names the client that `limits` counts, as on the HTTP API (see
   * `TrustedProxies`). A bad entry throws a `ConfigError` naming it. Default
   * none: the client is the socket's peer.
   */
  readonly trustedProxies?: readonly string[];
}

export interface CircuitBreakerStream {
  /**
   * Stops the ticker, detaches from the server and closes every connection
   * with 1001 (going away); resolves once every client has completed the
   * close handshake (or `terminate()` ended it).
   */
  close(): Promise<void>;
  /** Destroys every connection still open at once: for clients that do not complete the close handshake (one that does not read). */
  terminate(): void;
}

/**
 * Serves the v2 monitoring WebSocket stream on `httpServer`: token auth, the
 * full state right after `connection:status`, one shared update ticker and
 * one heartbeat for every connection, updates on each state change of a
 * subscribed service, and per-connection limits.
 */
export function attachCircuitBreakerStream(
  httpServer: Server,
  options: CircuitBreakerStreamOptions,
): CircuitBreakerStream {
  const {
    registry,
    authenticate,
    path = '/api/v2/ws/circuit-breaker',
    updateInterval = 5000,
    healthCheckInterval = 1000,
    maxBufferedBytes = 1_048_576,
    rateLimitPerMinute = 60,
    maxMessageBytes = 16_384,
    heartbeatInterval = 30_000,
    maxConnections = 1_000,
    maxConnectionsPerToken = 20,
    clock = { now: () => Date.now() },
    limits = new RequestLimits({ clock }),
  } = options;
  const proxies = new TrustedProxies(options.trustedProxies);
  const connections = new Set<StreamConnection>();
  const admission = new ConnectionCaps(maxConnections, maxConnectionsPerToken);
  const timestamp = () => new Date(clock.now()).toISOString();
  const update = (): ServiceUpdateMessage => toServiceUpdate(registry.status(), timestamp());

  // The health each service was last sent with, to push health-only changes.
  const lastHealth = new Map<string, string>();

  const host: StreamHost = {
    now: () => clock.now(),
    knows: (service) => registry.get(service) !== undefined,
    snapshot(wants) {
      const full = update();
      const services = full.services.filter((service) => wants(service.service));
      // Only first sightings: another client may still hold an older health for the rest.
      for (const { service, status } of services) {
        if (!lastHealth.has(service)) lastHealth.set(service, status);
      }
      return { ...full, services };
    },
    healthCheck(): ServerMessage {
      const { total, healthy, degraded, failed, unknown } = registry.status();
      const status = failed === 0 && degraded === 0 ? 'healthy' : 'degraded';
      const stats = { total, healthy, degraded, failed, unknown };
      return { type: 'health:check', status, timestamp: timestamp(), stats };
    },
    async act(action: CircuitActionType, service: string, actor: Actor): Promise<ServerMessage> {
      const name = circuitActions[action];
      const apply = manualActions[name];
      // How an error message starts when the registry refuses it: 'Force-open failed'.
      const failed = `${name.charAt(0).toUpperCase()}${name.slice(1)} failed`;
      try {
        const change = await apply(registry, service, actor);
        const before = circuitPhaseSchema.parse(change.before);
        const after = circuitPhaseSchema.parse(change.after);
        return { type: action, service, before, after, timestamp: timestamp() };
      } catch (error) {
        const message = isUnknownServiceError(error)
          ? `Unknown service: ${excerpt(service)}`
          : `${failed}: ${excerpt(error instanceof Error ? error.message : String(error))}`;
        return { type: 'error', code: closeCodes.invalidMessage, message, timestamp: timestamp() };
      }
    },
  };

  const broadcast = (message: ServiceUpdateMessage) => {
    for (const service of message.services) lastHealth.set(service.service, service.status);
    for (const connection of connections) connection.sendUpdate(message);
  };
  const anySubscribed = () => [...connections].some((connection) => connection.subscribed);

  // State changes arrive synchronously inside a breaker's call path: collect
  // them and send one update per burst, off that path. The update carries the
  // services that changed and everything downstream of them, whose health follows.
  const changed = new Set<string>();
  const flushChanges = () => {
    const names = new Set<string>();
    for (const name of changed)
      for (const affected of [name, ...downstreamOf(name)]) names.add(affected);
    changed.clear();
    if (!anySubscribed()) return;
    const services = registry.status().services.filter((service) => names.has(service.service));
    broadcast(toServiceUpdate({ services }, timestamp()));
  };
  const downstreamOf = (name: string): string[] => {
    try {
      return registry.affectedBy(name);
    } catch {
      return []; // removed since the change
    }
  };
  const unsubscribe = registry.on('stateChange', (event) => {
    if (connections.size === 0) return;
    if (changed.size === 0) queueMicrotask(flushChanges);
    changed.add(event.service);
  });

  const ticker = setInterval(() => {
    if (!anySubscribed()) return;
    lastHealth.clear(); // everyone gets every service now; this also forgets removed ones
    broadcast(update());
  }, updateInterval);
  ticker.unref();
  const healthWatch = setInterval(() => {
    if (!anySubscribed()) return;
    const services = registry.status().services.filter(({ service, health }) => {
      const last = lastHealth.get(service);
      if (last === undefined) lastHealth.set(service, health); // nobody was told yet
      return last !== undefined && last !== health;
    });
    if (services.length > 0) broadcast(toServiceUpdate({ services }, timestamp()));
  }, healthCheckInterval);
  healthWatch.unref();
  const heartbeat = setInterval(() => {
    for (const connection of connections) connection.heartbeat();
  }, heartbeatInterval);
  heartbeat.unref();

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: maxMessageBytes,
    // Browsers drop a connection whose offered protocol is not echoed.
    handleProtocols: (protocols) => protocols.values().next().value ?? false,
  });
  // A handshake `ws` refuses (no key, a bad version or subprotocol list, not a GET)
  // gets the API's JSON error, not `ws`'s plain-text one.
  wss.on('wsClientError', (error: Error, socket: Duplex, request: IncomingMessage) => {
    const answer =
      request.method === 'GET'
        ? rawErrorAnswer(
            '400 Bad Request',
            httpErrorCodes.badRequest,
            `Not a valid WebSocket upgrade: ${error.message}`,
            {},
            { 'Sec-WebSocket-Version': '13' },
          )
        : rawErrorAnswer(
            '405 Method Not Allowed',
            httpErrorCodes.methodNotAllowed,
            `${excerpt(request.method ?? '', 20)} is not allowed on ${path}: use GET`,
            {},
            { Allow: 'GET' },
          );
    socket.end(answer, () => socket.destroy());
  });

  /** Sends one `error` and closes with the same code: how a connection is refused in-band. */
  const refuse = (socket: WebSocket, code: number, message: string) => {
    socket.send(JSON.stringify({ type: 'error', code, message, timestamp: timestamp() }));
    socket.close(code, closeReason(message));
  };

  const accept = (socket: WebSocket, token: string, principal: Principal | null) => {
    socket.on('error', () => {
      // Oversized frames, invalid UTF-8 and protocol errors: `ws` closes the socket itself (1009, 1007, 1002).
    });
    if (principal === null) {
      refuse(socket, closeCodes.unauthorized, 'Authentication failed');
      return;
    }
    const full = admission.refusal(token);
    if (full !== undefined) {
      refuse(socket, closeCodes.tryAgainLater, full);
      return;
    }
    admission.open(token);
    const connection = new StreamConnection(socket, principal, host, {
      rateLimitPerMinute,
      maxBufferedBytes,
    });
    connections.add(connection);
    socket.on('close', () => {
      connections.delete(connection);
      admission.closed(token);
    });
    connection.send({ type: 'connection:status', status: 'connected', timestamp: timestamp() });
    // Initial state on connection, before any subscribe: a client learns the
    // whole fleet at once; later updates follow its subscription.
    connection.send(host.snapshot(everyService));
  };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = requestUrl(request);
    if (url?.pathname !== path) {
      // Another upgrade handler of the application may own this path; when none does, say so.
      if (httpServer.listenerCount('upgrade') === 1) {
        const target = excerpt(request.url ?? '');
        socket.end(
          rawErrorAnswer(
            '404 Not Found',
            httpErrorCodes.notFound,
            `No WebSocket stream at ${target}: it is at ${path}`,
          ),
          () => socket.destroy(),
        );
      }
      return;
    }
    const address = proxies.clientAddress(
      request.socket.remoteAddress,
      request.headers['x-forwarded-for'],
    );
    const blocked = limits.checkAuthentication(address);
    if (blocked !== undefined) {
      socket.end(tooManyRequests(blocked));
      return;
    }
    const token = url.searchParams.get('token') ?? offeredProtocol(request);
    const principal =
      token === null || token === ''
        ? Promise.resolve(null)
        : authenticate(token).catch(() => {
            limits.authenticationFailed(address);
            return null;
          });
    void principal
      .then((resolved) => {
        if (socket.destroyed) return;
        wss.handleUpgrade(request, socket, head, (ws) => accept(ws, token ?? '', resolved));
      })
      .catch(() => socket.destroy());
  };
  httpServer.on('upgrade', onUpgrade);

  return {
    close() {
      httpServer.off('upgrade', onUpgrade);
      unsubscribe();
      clearInterval(ticker);
      clearInterval(healthWatch);
      clearInterval(heartbeat);
      for (const client of wss.clients) client.close(closeCodes.goingAway, 'Server shutting down');
      return new Promise<void>((resolve) => wss.close(() => resolve()));
    },
    terminate() {
      for (const client of wss.clients) client.terminate();
    },
  };
}

const everyService = (): boolean => true;

/** The operator action each `circuit:…` message runs (audited as `reset`, `force-open`, …). */
const circuitActions: Record<CircuitActionType, ManualActionName> = {
  'circuit:reset': 'reset',
  'circuit:force-open': 'force-open',
  'circuit:disable': 'disable',
  'circuit:release': 'release',
};

/** The HTTP answer to an upgrade from an address that failed authentication too often. */
function tooManyRequests(refusal: Refusal): string {
  return rawErrorAnswer(
    '429 Too Many Requests',
    httpErrorCodes.tooManyRequests,
    refusal.message,
    { retryAfter: refusal.retryAfter },
    { 'Retry-After': String(refusal.retryAfter) },
  );
}

/** The request's URL, or undefined when its target makes none (`//`, `/\\`): never a throw in an event listener. */
function requestUrl(request: IncomingMessage): URL | undefined {
  try {
    return new URL(request.url ?? '/', 'http://localhost');
  } catch {
    return undefined;
  }
}

/** The first protocol offered in `Sec-WebSocket-Protocol` (where `new WebSocket(url, token)` puts the token). */
function offeredProtocol(request: IncomingMessage): string | null {
  const header = request.headers['sec-websocket-protocol'];
  const first = header?.split(',')[0]?.trim();
  return first === undefined || first === '' ? null : first;
}

/** A close frame's reason holds at most 123 bytes; the `error` before it carries the whole message. */
function closeReason(message: string): string {
  return Buffer.byteLength(message) <= 123 ? message : excerpt(message, 60);
}
