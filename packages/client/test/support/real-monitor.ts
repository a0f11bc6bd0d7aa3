import { Registry } from '@breakwater/core';
import { createMonitor, type Monitor, signToken } from '@breakwater/server';

const env = { BREAKWATER_JWT_SECRET: 'client-tests-secret-of-at-least-32-characters' };

/** A token the test monitors accept. */
export function tokenFor(role: 'admin' | 'viewer', sub: string): Promise<string> {
  return signToken({ sub, role, ttl: '10m' }, { algorithm: 'HS256' }, env);
}

/** The stream URL of a monitor on `port`. */
export const streamUrl = (port: number): string =>
  `ws://127.0.0.1:${port}/api/v2/ws/circuit-breaker`;

/** A fleet of three: checkout depends on wallet, which depends on market-data. */
export function fleet(): Registry {
  return new Registry({
    services: {
      'market-data': { failureThreshold: 2, resetTimeout: 60_000 },
      wallet: { dependsOn: ['market-data'] },
      checkout: { dependsOn: ['wallet'] },
    },
  });
}

/** The real monitor (HTTP API + WebSocket stream) over `registry`, on 127.0.0.1. */
export class RealMonitor {
  readonly registry: Registry;
  readonly #monitor: Monitor;
  #port = 0;
  #running = false;

  constructor(registry: Registry = fleet()) {
    this.registry = registry;
    this.#monitor = createMonitor({ registry, env, log: () => {} });
  }

  /** Starts on `port` (0: a free one, else the one it had). */
  async start(port = this.#port): Promise<this> {
    const running = await this.#monitor.start({ port, host: '127.0.0.1' });
    this.#port = running.port;
    this.#running = true;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    await this.#monitor.stop();
  }

  get port(): number {
    return this.#port;
  }

  get url(): string {
    return streamUrl(this.#port);
  }
}
