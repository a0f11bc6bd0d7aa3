import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, type Registry, type StateStore, systemClock } from '@breakwater/core';
import { getRequestListener } from '@hono/node-server';
import { type Alerter, type AlertsSettings, createAlerter } from './alerts';
import { type AuthSettings, createAuthenticator, RefusalAudit, RequestLimits } from './auth';
import { ServiceHistory, type ServiceHistoryOptions } from './history';
import { createHttpApi } from './http';
import { answerClientErrors, answerUnreadableRequest } from './http/client-errors';
import { dashboardFolder } from './http/dashboard-routes';
import { createMetrics } from './metrics';
import { listenFailure, MonitorStartError } from './monitor-start-error';
import { closeOpenParts, defaultShutdownTimeout } from './shutdown';
import { attachCircuitBreakerStream, type CircuitBreakerStream } from './ws';

export interface MonitorOptions {
  readonly registry: Registry;
  /**
   * The store the registry was opened on (`Registry.open({ store })`). When
   * given, `stop()` saves every breaker to it first (`registry.checkpoint()`),
   * so a monitor that goes down leaves the fleet's latest state behind. The
   * monitor never closes it: whoever opened the registry closes it.
   */
  readonly store?: StateStore;
  /** JWT settings (the config file's `auth` section). Default: HS256 with BREAKWATER_JWT_SECRET. */
  readonly auth?: AuthSettings;
  /** Where the secret is read from. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Alert rules and notifiers (the config file's `alerts` section). Default: log only. */
  readonly alerts?: AlertsSettings;
  /** Where alert lines go, and each error the HTTP API answers with 500. Default `console.log` (alerts), `console.error` (errors). */
  readonly log?: (line: string) => void;
  /**
   * How long `stop()` lets requests in progress, WebSocket close handshakes
   * and webhook deliveries finish before it cuts them (ms; the config file's
   * `server.shutdownTimeout`). Default 5000.
   */
  readonly shutdownTimeout?: number;
  /** The clock `stop()`'s deadline runs on. Default the system clock; tests pass a `FakeClock`. */
  readonly clock?: Pick<Clock, 'setTimeout' | 'clearTimeout'>;
  /** The largest request body the HTTP API reads (bytes, `server.maxBodyBytes`); a larger one answers 413. Default 65 536. */
  readonly maxBodyBytes?: number;
  /**
   * The history behind `GET /api/circuit-breakers/:name/history` and
   * `…/transitions`: `interval` (ms, default 5 000), `points` per service
   * (default 720: an hour), `transitions` per service (default 200), and the
   * `clock` it samples by (default the system clock; tests pass a `FakeClock`).
   */
  readonly history?: Omit<ServiceHistoryOptions, 'registry'>;
  /**
   * A folder of static files to serve at `/`: the web dashboard's build
   * (`dashboardRoot` of `@breakwater/dashboard`). Without an index.html in it,
   * `createMonitor` throws a `ConfigError` naming the folder. Default: none
   * (`/` answers 404).
   */
  readonly dashboard?: string;
  /** Failed authentications a client address may make per minute, over HTTP and WebSocket (`server.authFailuresPerMinute`). Default 20. */
  readonly authFailuresPerMinute?: number;
  /** Admin actions per token subject and address per minute (`server.adminActionsPerMinute`). Default 60. */
  readonly adminActionsPerMinute?: number;
  /**
   * Reverse proxies in front of the monitor whose `X-Forwarded-For` is
   * believed (`server.trustedProxies`): IPv4 or IPv6 addresses and CIDR
   * subnets (`10.0.0.0/8`, `::1`, `fd00::/8`). The limits above then count
   * per client behind them, over HTTP and WebSocket alike; the header of
   * any other peer is ignored. A bad entry throws a `ConfigError` naming it.
   * Default none: every client is its socket's peer.
   */
  readonly trustedProxies?: readonly string[];
  /** WebSocket stream settings (the config file's `server` section). */
  readonly updateInterval?: number;
  readonly rateLimitPerMinute?: number;
  readonly maxMessageBytes?: number;
  readonly heartbeatInterval?: number;
  readonly healthCheckInterval?: number;
  readonly maxBufferedBytes?: number;
  readonly maxConnections?: number;
  readonly maxConnectionsPerToken?: number;
}

export interface RunningMonitor {
  /** `http://HOST:PORT` the monitor listens on. */
  readonly url: string;
  readonly port: number;
}

export interface Monitor {
  /** The HTTP API as a fetch handler, to serve from an application's own server. */
  readonly handler: (request: Request) => Response | Promise<Response>;
  /**
   * Listens on `port` (0 = a free one) and `host`, with the WebSocket stream
   * on the same server. Rejects with a `MonitorStartError` when already
   * started (until `stop()`) or when it cannot listen (port taken, not
   * allowed, unknown host), Node's listen error as its `cause`.
   */
  start(options?: { port?: number; host?: string }): Promise<RunningMonitor>;
  /**
   * Stops in bounded time: stops accepting, ends idle connections, closes
   * WebSocket clients with 1001, stops webhook retries; after
   * `shutdownTimeout` cuts every connection and webhook attempt still open;
   * then saves every breaker to `store` (when given) and resolves.
   */
  stop(): Promise<void>;
}

/**
 * The monitoring plane for a registry: HTTP API, Prometheus metrics and the
 * WebSocket stream. Everything that can be wrong with the settings
 * (a missing or short secret, an unreadable key) throws here, before anything
 * listens.
 */
export function createMonitor(options: MonitorOptions): Monitor {
  const { registry } = options;
  // Checked before anything starts, like the auth settings below.
  const dashboard =
    options.dashboard === undefined ? undefined : dashboardFolder(options.dashboard);
  const authenticator = createAuthenticator(options.auth, options.env);
  // One budget per client for both doors: the HTTP API and the WebSocket upgrade.
  // Refused requests reach the audit log as at most one summary a minute.
  const refusals = new RefusalAudit({
    write: (summary) => registry.auditAccessRefusals(summary),
    ...(options.log ? { report: options.log } : {}),
  });
  const limits = new RequestLimits({
    authFailuresPerMinute: options.authFailuresPerMinute,
    adminActionsPerMinute: options.adminActionsPerMinute,
    report: options.log,
    onRefusal: (client, limit) => refusals.note(client, limit),
  });
  const metrics = createMetrics(registry);
  const history = new ServiceHistory({ ...options.history, registry });
  const app = createHttpApi({
    registry,
    authenticator,
    metrics,
    history,
    limits,
    ...(dashboard === undefined ? {} : { dashboard }),
    ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
    ...(options.trustedProxies === undefined ? {} : { trustedProxies: options.trustedProxies }),
    ...(options.log ? { log: options.log } : {}),
  });
  // Sampling from creation on (`handler` serves the history without `start()` too), once
  // every option has been checked: a refused one leaves no timer behind.
  history.start();
  let server: Server | undefined;
  /** Set from the first `start()` until `stop()`, so a second one is refused even while the first listens. */
  let started = false;
  let stream: CircuitBreakerStream | undefined;
  let alerter: Alerter | undefined;
  return {
    handler: (request) => app.fetch(request),
    async start({ port = 8080, host = '127.0.0.1' } = {}) {
      if (started) throw new MonitorStartError('it is already started');
      started = true;
      history.start(); // again after a stop()
      const httpServer = createServer(
        getRequestListener(app.fetch, { errorHandler: answerUnreadableRequest }),
      );
      answerClientErrors(httpServer);
      stream = attachCircuitBreakerStream(httpServer, {
        registry,
        authenticate: (token) => authenticator.verify(token),
        limits,
        ...pick(options),
      });
      try {
        await new Promise<void>((resolve, reject) => {
          httpServer.once('error', reject);
          httpServer.listen(port, host, () => {
            httpServer.off('error', reject);
            resolve();
          });
        });
      } catch (error) {
        started = false;
        await stream.close();
        stream = undefined;
        throw listenFailure(error, host, port);
      }
      server = httpServer;
      alerter = createAlerter({
        registry,
        alerts: options.alerts ?? {},
        ...(options.log ? { log: options.log } : {}),
      });
      const address = httpServer.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return { url: `http://${shownHost}:${address.port}`, port: address.port };
    },
    async stop() {
      const parts = { server, stream, alerter };
      server = undefined;
      stream = undefined;
      alerter = undefined;
      try {
        await closeOpenParts({
          ...parts,
          timeout: options.shutdownTimeout ?? defaultShutdownTimeout,
          clock: options.clock ?? systemClock,
        });
        await refusals.flush();
        // After the connections, so the last actions they carried are saved too.
        if (options.store) await registry.checkpoint();
      } finally {
        started = false;
        metrics.close();
        history.stop();
      }
    },
  };
}

/** The options `createMonitor` hands to the WebSocket stream as they are. */
const streamOptionNames = [
  'updateInterval',
  'rateLimitPerMinute',
  'maxMessageBytes',
  'heartbeatInterval',
  'healthCheckInterval',
  'maxBufferedBytes',
  'maxConnections',
  'maxConnectionsPerToken',
  'trustedProxies',
] as const;

/** The stream options that were given (an undefined one keeps the stream's default). */
function pick(options: MonitorOptions) {
  return Object.fromEntries(
    streamOptionNames.flatMap((name) =>
      options[name] === undefined ? [] : [[name, options[name]]],
    ),
  );
}
