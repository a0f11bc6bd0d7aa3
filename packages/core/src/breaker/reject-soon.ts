/**
 * A promise that rejects with `error` one microtask from now. Rejecting a
 * promise that has no handler yet (as `Promise.reject` does) makes V8 call
 * into Node's unhandled-rejection tracking twice — once when it rejects, once
 * when `await` attaches its handler — which costs about 500 ns, most of a
 * fail-fast call. By the time this one rejects, the caller's `await` (or
 * `.catch`) is attached, so neither callback runs. A rejection nobody handles
 * is still reported as unhandled.
 */
export function rejectSoon<T>(error: unknown): Promise<T> {
  return new Promise<T>((_resolve, reject) => {
    queueMicrotask(() => reject(error));
  });
}
