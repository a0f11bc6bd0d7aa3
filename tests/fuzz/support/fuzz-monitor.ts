import { Registry } from '@breakwater/core';
import type { ServiceUpdateMessage } from '@breakwater/protocol';
import { createMonitor, type MonitorOptions, signToken } from '@breakwater/server';
import { afterAll, afterEach, beforeAll, expect, vi } from 'vitest';
import WebSocket from 'ws';

export const env = { BREAKWATER_JWT_SECRET: 'fuzz-secret-that-is-at-least-32-characters-long' };

/** Services of the fuzzed monitor; `bystander-probe` is only ever changed by the bystander check. */
export const services = ['payments', 'market-data', 'orders'] as const;
const probe = 'bystander-probe';

/**
 * How many generated cases each property runs: a few hundred in `npm test`,
 * more with BREAKWATER_FUZZ_RUNS (`npm run test:deep`).
 */
export function fuzzRuns(fallback: number): number {
  const raw = process.env.BREAKWATER_FUZZ_RUNS;
  if (raw === undefined || raw === '') return fallback;
  const runs = Number(raw);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`BREAKWATER_FUZZ_RUNS must be a positive integer, got ${raw}`);
  return runs;
}

/** A test's timeout for `runs` cases: generous, since the machine may be busy. */
export function timeoutFor(runs: number): number {
  return Math.max(20_000, runs * 100);
}

export type FuzzMonitor = Awaited<ReturnType<typeof startFuzzMonitor>>;

/**
 * A monitor on a free port of 127.0.0.1 with every line it logs kept, an
 * admin and a viewer token, and a bystander: a well-behaved client that
 * must keep receiving updates whatever the fuzzed clients do.
 */
export async function startFuzzMonitor(options: Partial<MonitorOptions> = {}) {
  const logged: string[] = [];
  const registry = new Registry({
    services: Object.fromEntries([...services, probe].map((name) => [name, {}])),
  });
  const monitor = createMonitor({
    registry,
    env,
    log: (line) => logged.push(line),
    // The fuzz sends thousands of requests from one address: the limits get tests of their own.
    authFailuresPerMinute: 1_000_000,
    adminActionsPerMinute: 1_000_000,
    ...options,
  });
  const { port } = await monitor.start({ port: 0, host: '127.0.0.1' });
  const wsUrl = `ws://127.0.0.1:${port}/api/v2/ws/circuit-breaker`;
  const tokens = {
    admin: await signToken({ sub: 'fuzz-admin', role: 'admin' }, undefined, env),
    viewer: await signToken({ sub: 'fuzz-viewer', role: 'viewer' }, undefined, env),
  };
  const bystander = await Bystander.connect(wsUrl, tokens.viewer);
  let opened = false;
  return {
    registry,
    port,
    wsUrl,
    tokens,
    logged,
    /** Changes the probe service and waits (bounded) for the bystander to be told. */
    async bystanderReceives(): Promise<void> {
      opened = !opened;
      const state = opened ? 'open' : 'closed';
      const told = bystander.next(state);
      await (opened ? registry.forceOpen(probe) : registry.release(probe));
      await told;
    },
    async stop(): Promise<void> {
      bystander.socket.terminate();
      await monitor.stop();
    },
  };
}

/** A client subscribed to the probe service only, which waits for the probe's next state. */
class Bystander {
  readonly socket: WebSocket;
  #waiting: { state: string; resolve: () => void; reject: (error: Error) => void } | undefined;
  #closedWith: number | undefined;

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as Partial<ServiceUpdateMessage>;
      const entry = message.services?.find((service) => service.service === probe);
      if (entry !== undefined && entry.circuit.state === this.#waiting?.state) {
        this.#waiting.resolve();
        this.#waiting = undefined;
      }
    });
    socket.on('close', (code) => {
      this.#closedWith = code;
      this.#waiting?.reject(new Error(`the bystander was disconnected (${code})`));
      this.#waiting = undefined;
    });
  }

  static async connect(url: string, token: string): Promise<Bystander> {
    const socket = new WebSocket(url, token);
    const bystander = new Bystander(socket);
    const subscribed = bystander.next('closed');
    await new Promise<void>((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    socket.send(JSON.stringify({ type: 'subscribe:services', services: [probe] }));
    await subscribed;
    return bystander;
  }

  /** Resolves at the next update showing the probe `state`; rejects after 5 s or once the bystander is cut off. */
  next(state: 'open' | 'closed'): Promise<void> {
    if (this.#closedWith !== undefined)
      return Promise.reject(new Error(`the bystander was disconnected (${this.#closedWith})`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the bystander was not told the probe is ${state} within 5 s`)),
        5_000,
      );
      this.#waiting = {
        state,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
    });
  }
}

/**
 * The lifecycle every fuzz file shares: one monitor for the file, and after
 * each test nothing logged by it (a 500 would be, with its stack) and
 * nothing on `console.error` — nor on `console.warn`, unless the file
 * provokes warnings on purpose (`warnings: 'expected'`, e.g. refused tokens).
 * Returns the running monitor's accessor.
 */
export function useFuzzMonitor(options: { warnings?: 'expected' } = {}): () => FuzzMonitor {
  let monitor: FuzzMonitor | undefined;
  const complaints = { error: vi.spyOn(console, 'error'), warn: vi.spyOn(console, 'warn') };
  beforeAll(async () => {
    monitor = await startFuzzMonitor();
  });
  afterAll(async () => {
    await monitor?.stop();
  });
  afterEach(() => {
    expect(monitor?.logged).toEqual([]);
    expect(complaints.error).not.toHaveBeenCalled();
    if (options.warnings !== 'expected') expect(complaints.warn).not.toHaveBeenCalled();
  });
  return () => {
    if (monitor === undefined) throw new Error('The fuzz monitor runs only during the tests');
    return monitor;
  };
}
