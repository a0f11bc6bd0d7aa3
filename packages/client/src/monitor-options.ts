import { defaultReconnectPolicy, type ReconnectOptions, type ReconnectPolicy } from './backoff';
import { ClientError, clientErrorCodes } from './client-error';
import { hostTimers, type TimerClock, type WebSocketConstructor } from './websocket-like';

export interface CircuitBreakerMonitorOptions {
  /** The monitor's stream: `ws://HOST:PORT/api/v2/ws/circuit-breaker` (`wss://` behind TLS). */
  readonly url: string | URL;
  /**
   * A JWT the monitor accepts (role `viewer`, or `admin` for the operator
   * actions). Sent as the WebSocket subprotocol, which browsers allow and
   * which keeps it out of URLs and access logs.
   */
  readonly token: string;
  /** The WebSocket class. Default `globalThis.WebSocket`; on Node 20, pass `WebSocket` from `ws`. */
  readonly WebSocket?: WebSocketConstructor;
  /** Reconnection rules; `false` never reconnects. Default: 1 s, ×2, up to 30 s, forever. */
  readonly reconnect?: ReconnectOptions | false;
  /** Timers for the reconnection delays. Default the host's `setTimeout`. */
  readonly clock?: TimerClock;
  /** Random numbers in [0, 1) for the jitter. Default `Math.random`. */
  readonly random?: () => number;
}

/** Options checked once, with defaults filled in. */
export interface ResolvedOptions {
  readonly url: string;
  readonly token: string;
  readonly WebSocket: WebSocketConstructor;
  readonly reconnect: ReconnectPolicy;
  readonly clock: TimerClock;
  readonly random: () => number;
}

// A subprotocol is an HTTP token (RFC 7230 `tchar`); JWTs always are one.
const subprotocolToken = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Checks the options; a bad one throws a `ClientError` (`BW_INVALID_CONFIG`) naming it. */
export function resolveOptions(options: CircuitBreakerMonitorOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw invalid('options', options, 'an object with url and token');
  }
  const url = checkUrl(options.url);
  const { token } = options;
  if (typeof token !== 'string' || !subprotocolToken.test(token)) {
    // Never the token itself in the message: it is a credential.
    throw new ClientError(
      clientErrorCodes.invalidConfig,
      `Invalid option token: expected a JWT (a non-empty string without spaces or commas), got ${typeof token === 'string' ? `a string of ${token.length} characters` : typeof token}`,
      { option: 'token' },
    );
  }
  const WebSocket =
    options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (typeof WebSocket !== 'function') {
    throw invalid(
      'WebSocket',
      options.WebSocket,
      "a WebSocket class: this runtime has no global WebSocket (Node 20), pass `WebSocket` from the 'ws' package",
    );
  }
  const clock = options.clock ?? hostTimers;
  if (typeof clock?.setTimeout !== 'function' || typeof clock.clearTimeout !== 'function') {
    throw invalid('clock', clock, 'an object with setTimeout and clearTimeout');
  }
  const random = options.random ?? Math.random;
  if (typeof random !== 'function') throw invalid('random', random, 'a function');
  return { url, token, WebSocket, reconnect: checkReconnect(options.reconnect), clock, random };
}

function checkUrl(value: unknown): string {
  const expected = 'a ws:// or wss:// URL, such as ws://127.0.0.1:8080/api/v2/ws/circuit-breaker';
  if (typeof value !== 'string' && !(value instanceof URL)) throw invalid('url', value, expected);
  // Never the whole URL in a message: its query may hold a token.
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw invalid('url', value, expected, 'a string that is not a URL');
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    const shown = JSON.stringify(`${url.protocol}//${url.host}${url.pathname}`);
    throw invalid('url', value, expected, shown);
  }
  return url.href;
}

function checkReconnect(value: ReconnectOptions | false | undefined): ReconnectPolicy {
  if (value === false) return { ...defaultReconnectPolicy, maxAttempts: 0 };
  if (value === undefined) return defaultReconnectPolicy;
  if (typeof value !== 'object' || value === null) {
    throw invalid('reconnect', value, 'an object or false');
  }
  const policy = { ...defaultReconnectPolicy };
  for (const name of ['initialDelay', 'maxDelay', 'multiplier', 'maxAttempts'] as const) {
    const given = value[name];
    if (given === undefined) continue;
    const ok =
      name === 'maxAttempts'
        ? given === Number.POSITIVE_INFINITY || (Number.isInteger(given) && given >= 0)
        : Number.isFinite(given) && given >= (name === 'multiplier' ? 1 : 0);
    if (!ok) throw invalid(`reconnect.${name}`, given, reconnectExpectations[name]);
    policy[name] = given;
  }
  return Object.freeze(policy);
}

const reconnectExpectations = {
  initialDelay: 'milliseconds >= 0',
  maxDelay: 'milliseconds >= 0',
  multiplier: 'a number >= 1',
  maxAttempts: 'a whole number >= 0, or Infinity',
} as const;

function invalid(
  option: string,
  value: unknown,
  expected: string,
  shown = describe(value),
): ClientError {
  return new ClientError(
    clientErrorCodes.invalidConfig,
    `Invalid option ${option}: expected ${expected}, got ${shown}`,
    { option },
  );
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}
