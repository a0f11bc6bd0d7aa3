// Method syntax keeps handler parameters bivariant, so the browser's
// WebSocket and the `ws` package's, whose event types differ, both fit.
type Handler<E> = { handle(event: E): void }['handle'];

/** The part of a WebSocket the monitor client uses. */
export interface WebSocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: Handler<unknown> | null;
  onmessage: Handler<{ readonly data: unknown }> | null;
  onclose: Handler<{ readonly code: number; readonly reason: string }> | null;
  onerror: Handler<unknown> | null;
}

/**
 * A WebSocket class: the browser's `WebSocket` (and Node 22's global one),
 * or `WebSocket` from the `ws` package on Node 20.
 */
export type WebSocketConstructor = new (
  url: string,
  protocols?: string | string[],
) => WebSocketLike;

/** Where the client's timers come from; `FakeClock` from `@breakwater/core/testing` fits. */
export interface TimerClock {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The host's timers. */
export const hostTimers: TimerClock = Object.freeze({
  setTimeout: (callback: () => void, ms: number): unknown => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle: unknown): void =>
    globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
});
