/** The one listener Breakwater keeps on a caller's signal, and the calls waiting on it. */
interface Watch {
  readonly handlers: Set<() => void>;
  readonly listener: () => void;
}

const watches = new WeakMap<AbortSignal, Watch>();

/**
 * Runs `onAbort` when `signal` aborts; the returned function stops watching.
 *
 * Calls that share one caller's signal (a request's, or a whole app's) share
 * one listener on it, so a hundred concurrent calls do not leave a hundred
 * listeners there, nor trip Node's "possible EventTarget memory leak"
 * warning past ten. The listener goes once no call is left watching.
 */
export function watchAbort(signal: AbortSignal, onAbort: () => void): () => void {
  let watch = watches.get(signal);
  if (watch === undefined) {
    const handlers = new Set<() => void>();
    const listener = (): void => {
      watches.delete(signal);
      for (const handler of handlers) handler();
      handlers.clear();
    };
    watch = { handlers, listener };
    watches.set(signal, watch);
    signal.addEventListener('abort', listener, { once: true });
  }
  const { handlers, listener } = watch;
  handlers.add(onAbort);
  return () => {
    if (!handlers.delete(onAbort) || handlers.size > 0) return;
    if (watches.get(signal)?.handlers === handlers) watches.delete(signal);
    signal.removeEventListener('abort', listener);
  };
}
