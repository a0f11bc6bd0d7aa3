/** Messages between bench/ws-load.ts (the server process) and its client process. */

/** Passed to the client process as its one argument (JSON). */
export interface ClientSettings {
  /** `ws://HOST:PORT/api/v2/ws/circuit-breaker`. */
  readonly url: string;
  /**
   * Viewer tokens, offered in `Sec-WebSocket-Protocol` as `new WebSocket(url, token)` does:
   * client i uses the (i / 20)th, since the monitor allows 20 connections per token.
   */
  readonly tokens: readonly string[];
  readonly clients: number;
  /** Connections opened at once. */
  readonly batch: number;
  /** Services in the registry: a first update with this many is a full one. */
  readonly services: number;
  /** Ms a round may take before the client process reports who is missing. */
  readonly roundTimeout: number;
}

export type ToClients =
  | { readonly type: 'connect' }
  /** Watch for the first `service:update` showing `service` with `circuit.state === state`. */
  | {
      readonly type: 'arm';
      readonly round: number;
      readonly service: string;
      readonly state: 'open' | 'closed';
    }
  | { readonly type: 'close' };

export type FromClients =
  | { readonly type: 'ready' }
  | {
      readonly type: 'connected';
      readonly clients: number;
      readonly failed: number;
      readonly connectMs: number;
      readonly firstError: string | null;
    }
  | { readonly type: 'armed'; readonly round: number }
  /** Per client, `monotonicMs()` when its update arrived; null if it did not within the timeout. */
  | { readonly type: 'arrivals'; readonly round: number; readonly arrivals: (number | null)[] }
  | { readonly type: 'closed' };

/**
 * CLOCK_MONOTONIC in ms (libuv's hrtime on Linux), which every process on the
 * machine shares, so a time taken in the server process and one taken in the
 * client process can be subtracted.
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
