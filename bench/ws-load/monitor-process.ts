/**
 * A monitor in a process of its own, driven over IPC, so that a benchmark's
 * clients do not count in its memory: bench/ws-churn.ts forks it.
 *
 *   forked with one argument: MonitorSettings as JSON; needs --expose-gc
 */
import { Registry } from '@breakwater/core';
import { createMonitor, signToken } from '@breakwater/server';

export interface MonitorSettings {
  readonly services: number;
  /** Distinct viewer tokens to mint (the monitor allows 20 connections per token). */
  readonly tokens: number;
  readonly updateInterval?: number;
  readonly heartbeatInterval?: number;
}

export interface ServerFigures {
  readonly heapUsed: number;
  readonly rss: number;
  readonly external: number;
  /** `process.getActiveResourcesInfo()`, counted by kind. */
  readonly resources: Record<string, number>;
}

export type ToMonitor =
  | { readonly type: 'measure' }
  /** Force-opens and releases breakers in a tight loop for `ms`: a stream of updates. */
  | { readonly type: 'churnStates'; readonly ms: number }
  | { readonly type: 'stop' };

export type FromMonitor =
  | { readonly type: 'started'; readonly url: string; readonly tokens: string[] }
  | ({ readonly type: 'measured' } & ServerFigures)
  | { readonly type: 'churned'; readonly transitions: number }
  | { readonly type: 'stopped' };

const env = { BREAKWATER_JWT_SECRET: 'ws-churn-bench-secret-that-is-at-least-32-chars' };

async function main(): Promise<void> {
  const settings = JSON.parse(process.argv[2] ?? '{}') as MonitorSettings;
  const names = Array.from({ length: settings.services }, (_, i) => `service-${i}`);
  const registry = new Registry({ services: Object.fromEntries(names.map((n) => [n, {}])) });
  const monitor = createMonitor({
    registry,
    env,
    ...(settings.updateInterval === undefined ? {} : { updateInterval: settings.updateInterval }),
    ...(settings.heartbeatInterval === undefined
      ? {}
      : { heartbeatInterval: settings.heartbeatInterval }),
  });
  const { url } = await monitor.start({ port: 0, host: '127.0.0.1' });
  const tokens = await Promise.all(
    Array.from({ length: settings.tokens }, (_, i) =>
      signToken({ sub: `churn-${i}`, role: 'viewer', ttl: '2h' }, undefined, env),
    ),
  );
  const tell = (message: FromMonitor) => process.send?.(message);
  process.on('message', async (message: ToMonitor) => {
    switch (message.type) {
      case 'measure':
        tell({ type: 'measured', ...(await measure()) });
        return;
      case 'churnStates': {
        // Bursts of 50 services at once: each burst is one update of 50 entries (about 17 kB).
        const end = Date.now() + message.ms;
        let transitions = 0;
        for (let round = 0; Date.now() < end; round++) {
          const start = (round * 50) % names.length;
          const burst = names.slice(start, start + 50);
          // On the breakers themselves: the registry's actions would also fill its audit log.
          for (const name of burst) registry.breaker(name).forceOpen();
          await new Promise((resolve) => setImmediate(resolve));
          for (const name of burst) registry.breaker(name).release();
          transitions += burst.length * 2;
          // Let the stream write (and the clients' frames arrive) between bursts.
          await new Promise((resolve) => setImmediate(resolve));
        }
        tell({ type: 'churned', transitions });
        return;
      }
      case 'stop':
        await monitor.stop();
        tell({ type: 'stopped' });
        process.disconnect();
        return;
    }
  });
  tell({ type: 'started', url: `${url.replace('http', 'ws')}/api/v2/ws/circuit-breaker`, tokens });
}

async function measure(): Promise<ServerFigures> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let pass = 0; pass < 3; pass++) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const { heapUsed, rss, external } = process.memoryUsage();
  const resources: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) resources[kind] = (resources[kind] ?? 0) + 1;
  return { heapUsed, rss, external, resources };
}

await main();
