import { getEventListeners } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CircuitBreaker, retry, wrap } from '@breakwater/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The README's own example, `breaker.execute((signal) => fetch(url, { signal }))`, run
// 10,000 times: fetch leaves an abort listener on every signal it is given, so a signal
// shared by many calls would collect them all (and warn past 10).

const calls = 10_000;
/** Calls for each variant (timeout, caller's signal, wrap): the same code path, fewer fetches. */
const variantCalls = 1_000;
const concurrency = 50;

let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((_request, response) => response.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Runs `calls` operations, `concurrency` at a time, and returns every signal they received. */
async function runAll(
  count: number,
  execute: (operation: (signal: AbortSignal) => Promise<string>) => Promise<string>,
): Promise<Set<AbortSignal>> {
  const signals = new Set<AbortSignal>();
  let started = 0;
  const worker = async (): Promise<void> => {
    while (started < count) {
      started++;
      const body = await execute((signal) => {
        signals.add(signal);
        return fetch(url, { signal }).then((response) => response.text());
      });
      expect(body).toBe('ok');
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return signals;
}

/** The most abort listeners left on any one of `signals`. */
function mostListeners(signals: Iterable<AbortSignal>): number {
  let most = 0;
  for (const signal of signals) most = Math.max(most, getEventListeners(signal, 'abort').length);
  return most;
}

/** The signal a function that declares no parameter is handed. */
async function sharedSignalOf(breaker: CircuitBreaker): Promise<AbortSignal> {
  let shared: unknown;
  await breaker.execute(function (this: unknown) {
    // biome-ignore lint/complexity/noArguments: reaching the signal without declaring it
    shared = arguments[0];
  });
  return shared as AbortSignal;
}

describe('the signal each call receives', () => {
  it(`leaves no pile of abort listeners after ${calls.toLocaleString('en-US')} fetches`, async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    process.on('warning', onWarning);
    try {
      const breaker = new CircuitBreaker('fetch');
      const untimed = await runAll(calls, (operation) => breaker.execute(operation));
      expect(untimed.size).toBe(calls);
      expect(mostListeners(untimed)).toBeLessThanOrEqual(1);

      const timed = await runAll(variantCalls, (operation) =>
        breaker.execute(operation, { timeout: 5_000 }),
      );
      const appSignal = new AbortController().signal; // one signal that outlives every call
      const withCallerSignal = await runAll(variantCalls, (operation) =>
        breaker.execute(operation, { signal: appSignal }),
      );
      const wrapped = wrap(retry({ maxAttempts: 2 }), breaker);
      const throughWrap = await runAll(variantCalls, (operation) => wrapped.execute(operation));
      for (const signals of [timed, withCallerSignal, throughWrap]) {
        expect(signals.size).toBe(variantCalls);
        expect(mostListeners(signals)).toBeLessThanOrEqual(1);
      }

      expect(getEventListeners(appSignal, 'abort')).toHaveLength(0);
      expect(getEventListeners(await sharedSignalOf(breaker), 'abort')).toHaveLength(0);
      expect(breaker.status()).toMatchObject({
        totalSuccesses: calls + 3 * variantCalls + 1,
        totalFailures: 0,
      });
      expect(warnings.map((warning) => `${warning.name}: ${warning.message}`)).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  }, 60_000);
});

describe("calls sharing a caller's signal", () => {
  it('keep one listener on it however many are in flight, and none once they end', async () => {
    const breaker = new CircuitBreaker('svc');
    const app = new AbortController();
    const releases: Array<() => void> = [];
    const calls = Array.from({ length: 100 }, () =>
      breaker.execute(
        (_signal) =>
          new Promise<void>((resolve) => {
            releases.push(resolve);
          }),
        { signal: app.signal },
      ),
    );
    expect(getEventListeners(app.signal, 'abort')).toHaveLength(1);
    for (const release of releases) release();
    await Promise.all(calls);
    expect(getEventListeners(app.signal, 'abort')).toHaveLength(0);
  });

  it('all end with the reason when it aborts', async () => {
    const breaker = new CircuitBreaker('svc');
    const app = new AbortController();
    const received: AbortSignal[] = [];
    const calls = Array.from({ length: 20 }, () =>
      breaker.execute(
        (signal) => {
          received.push(signal);
          return new Promise<void>(() => {});
        },
        { signal: app.signal },
      ),
    );
    app.abort(new Error('shutting down'));
    const outcomes = await Promise.allSettled(calls);
    expect(outcomes.every((outcome) => outcome.status === 'rejected')).toBe(true);
    expect(received.every((signal) => signal.aborted)).toBe(true);
    expect(breaker.status()).toMatchObject({ totalIgnored: 20, totalFailures: 0 });
  });
});
