import type { Issues } from '../issues';
import { checkWith } from './check-with';
import { addressOrSubnet, flag, integer, listOf, milliseconds, strict, text } from './fields';

/** Limits of the WebSocket stream at `/api/v2/ws/circuit-breaker` (the v2 monitoring protocol). */
export interface WebSocketConfig {
  /** Client messages allowed per connection per minute; more → error 4029. Default 60. */
  readonly rateLimitPerMinute: number;
  /** Largest client frame in bytes; a larger one closes the connection (1009). Default 16 384. */
  readonly maxMessageBytes: number;
  /** Interval of protocol pings that find dead connections (ms). Default 30 000. */
  readonly heartbeatInterval: number;
  /** Interval of the check for health changes that come without a state change (ms). Default 1 000. */
  readonly healthCheckInterval: number;
  /** Unsent bytes per connection above which updates to it are skipped; a heartbeat drops it. Default 1 MiB. */
  readonly maxBufferedBytes: number;
  /** Open connections at most; one more is refused with close 1013. Default 1 000. */
  readonly maxConnections: number;
  /** Open connections per token at most (a dashboard opens a few); one more is refused with close 1013. Default 20. */
  readonly maxConnectionsPerToken: number;
}

/** The monitoring server (`breakwater serve`). */
export interface ServerConfig {
  /** Interface to listen on. Default `127.0.0.1` (this machine only). */
  readonly host: string;
  /** TCP port, 0 for any free one. Default 8080. */
  readonly port: number;
  /** Period of the full `service:update` every subscriber gets (ms). Default 5 000, as the v2 monitoring protocol has it. */
  readonly updateInterval: number;
  /** Serve the web dashboard at `/`. Default true; `breakwater serve --no-dashboard` turns it off too. */
  readonly dashboard: boolean;
  /** Failed authentications a client (IP address) may make per minute; after that it gets 429 until the minute ends. Default 20. */
  readonly authFailuresPerMinute: number;
  /** Admin actions (HTTP POST / PATCH) an admin may make per minute from one address; more get 429. Default 60. */
  readonly adminActionsPerMinute: number;
  /**
   * Reverse proxies (IP addresses and CIDR subnets) whose `X-Forwarded-For`
   * is believed: the limits above then count per client behind them. Default
   * none: every client is its TCP peer, and the header is ignored.
   */
  readonly trustedProxies: readonly string[];
  /** Largest request body the HTTP API reads (bytes); a larger one answers 413. Default 65 536. */
  readonly maxBodyBytes: number;
  /** How long a stop (SIGTERM, Ctrl-C) lets requests and WebSocket clients finish before cutting them (ms). Default 5 000. */
  readonly shutdownTimeout: number;
  readonly ws: WebSocketConfig;
}

const wsSchema = strict(
  {
    rateLimitPerMinute: integer(1, 100_000).default(60),
    maxMessageBytes: integer(256, 1_048_576, 'a size in bytes').default(16_384),
    heartbeatInterval: milliseconds(1_000, 3_600_000).default(30_000),
    healthCheckInterval: milliseconds(100, 3_600_000).default(1_000),
    maxBufferedBytes: integer(16_384, 1_073_741_824, 'a size in bytes').default(1_048_576),
    maxConnections: integer(1, 1_000_000).default(1_000),
    maxConnectionsPerToken: integer(1, 100_000).default(20),
  },
  'a mapping with rateLimitPerMinute, maxMessageBytes, heartbeatInterval, healthCheckInterval, maxBufferedBytes, maxConnections, maxConnectionsPerToken',
);

const serverSchema = strict(
  {
    host: text('a host name or IP address to listen on').default('127.0.0.1'),
    port: integer(0, 65_535, 'a TCP port').default(8080),
    updateInterval: milliseconds(100, 3_600_000).default(5_000),
    dashboard: flag().default(true),
    authFailuresPerMinute: integer(1, 10_000).default(20),
    adminActionsPerMinute: integer(1, 100_000).default(60),
    trustedProxies: listOf(
      addressOrSubnet(),
      'a list of IP addresses and CIDR subnets of reverse proxies',
    ).default([]),
    maxBodyBytes: integer(1_024, 16_777_216, 'a size in bytes').default(65_536),
    shutdownTimeout: milliseconds(100, 600_000).default(5_000),
    ws: wsSchema.prefault({}),
  },
  'a mapping with host, port, updateInterval, dashboard, authFailuresPerMinute, adminActionsPerMinute, trustedProxies, maxBodyBytes, shutdownTimeout, ws',
);

/** Checks the `server` section; every key has a default. */
export function checkServer(input: unknown, issues: Issues): ServerConfig | undefined {
  return checkWith(serverSchema, input ?? {}, ['server'], issues);
}
