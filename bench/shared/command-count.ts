import { setTimeout as sleep } from 'node:timers/promises';
import { type CircuitBreaker, Registry } from '@breakwater/core';
import { RedisStore } from '@breakwater/redis';
import { Redis } from 'ioredis';
import { fail, succeed } from '../work';
import { benchService, benchServices } from './bench-services';

/** Calls per second of each load, and how long each runs (ms). */
const rate = 10_000;
const duration = 2_000;
/** The load runs the calls due every few ms, so the flush ticker gets its turns. */
const pace = 5;

/** Redis commands one shared instance sent while running a load. */
export interface CommandLoad {
  readonly label: string;
  readonly calls: number;
  readonly seconds: number;
  /** Commands by name (INFO commandstats delta, the INFO calls left out). */
  readonly commands: Readonly<Record<string, number>>;
  /** Every command Redis ran, those a script ran included (INFO counts both). */
  readonly total: number;
  readonly perThousandCalls: number;
  readonly perSecond: number;
  /** EVAL / EVALSHA calls: the flushes the instance sent (one script call each). */
  readonly scriptCalls: number;
  readonly scriptCallsPerThousand: number;
}

export interface CommandCounts {
  readonly rate: number;
  readonly flushInterval: number;
  readonly loads: readonly CommandLoad[];
}

/**
 * Runs a shared registry with the default `flushInterval` on the private
 * server at `url` through two paced loads, and counts the commands each
 * cost with INFO commandstats: nothing else talks to that server.
 */
export async function commandCounts(url: string): Promise<CommandCounts> {
  const store = await RedisStore.connect({ url, keyPrefix: 'bench-commands:' });
  const registry = await Registry.open({ store, shared: true, services: benchServices });
  const info = new Redis(url);
  try {
    const breaker = registry.breaker(benchService);
    // Warm-up: the scripts get loaded (EVALSHA, then EVAL once) before counting.
    await breaker.execute(succeed);
    await registry.flush();
    const loads = [
      await countLoad('every call succeeds', info, registry, () => pacedCalls(breaker, 0)),
      await countLoad('every 10th call fails', info, registry, () => pacedCalls(breaker, 10)),
    ];
    return { rate, flushInterval: store.options.flushInterval, loads };
  } finally {
    info.disconnect();
    await registry.close();
  }
}

async function countLoad(
  label: string,
  info: Redis,
  registry: Registry,
  load: () => Promise<number>,
): Promise<CommandLoad> {
  const before = commandStats(await info.info('commandstats'));
  const started = performance.now();
  const calls = await load();
  await registry.flush(); // the counts still held: part of what the load costs
  const seconds = (performance.now() - started) / 1000;
  const after = commandStats(await info.info('commandstats'));
  const commands: Record<string, number> = {};
  for (const [name, count] of after) {
    const delta = count - (before.get(name) ?? 0);
    if (delta > 0 && name !== 'info') commands[name] = delta;
  }
  const total = Object.values(commands).reduce((sum, count) => sum + count, 0);
  const scriptCalls = (commands.evalsha ?? 0) + (commands.eval ?? 0);
  return {
    label,
    calls,
    seconds,
    commands,
    total,
    perThousandCalls: (1000 * total) / calls,
    perSecond: total / seconds,
    scriptCalls,
    scriptCallsPerThousand: (1000 * scriptCalls) / calls,
  };
}

/** `rate` calls a second for `duration` ms; every `failEvery`-th call fails (0: none). */
async function pacedCalls(breaker: CircuitBreaker, failEvery: number): Promise<number> {
  const started = performance.now();
  let done = 0;
  for (let elapsed = 0; elapsed < duration; elapsed = performance.now() - started) {
    const due = Math.min(rate * (duration / 1000), Math.floor((rate * elapsed) / 1000));
    for (; done < due; done++) {
      const failing = failEvery > 0 && done % failEvery === failEvery - 1;
      await breaker.execute(failing ? fail : succeed).catch(() => undefined);
    }
    await sleep(pace);
  }
  return done;
}

/** `calls=` of every `cmdstat_NAME` line. */
function commandStats(text: string): Map<string, number> {
  const stats = new Map<string, number>();
  for (const match of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    stats.set(match[1] ?? '', Number(match[2]));
  }
  return stats;
}
