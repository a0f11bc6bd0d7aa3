import { MemoryStore, Registry } from '@breakwater/core';
import { RedisStore } from '@breakwater/redis';
import { type Entry, interleave, type Plan, type Summary } from '../measure';
import { succeed } from '../work';
import { benchService, benchServices } from './bench-services';

/** Closed-call cost of a shared registry next to a local one (scenario 1's loop). */
export interface ClosedCallCost {
  readonly plan: Plan;
  /** A registry on a MemoryStore, ns per call. */
  readonly local: Summary;
  /** A shared registry on Redis, ns per call. */
  readonly shared: Summary;
  /** Median shared ÷ median local. */
  readonly ratio: number;
}

/**
 * `await breaker.execute(fn)` in a loop, every call succeeding, on a local
 * registry and on a shared one, in interleaved rounds. Calls never touch
 * Redis in shared mode; the counts go out every `flushInterval` from an
 * unref'd ticker, which fires in the event-loop turn between samples.
 */
export async function closedCallCost(url: string, plan: Plan): Promise<ClosedCallCost> {
  const local = await Registry.open({ store: new MemoryStore(), services: benchServices });
  const store = await RedisStore.connect({ url, keyPrefix: 'bench-closed-calls:' });
  const shared = await Registry.open({ store, shared: true, services: benchServices });
  try {
    const summaries = await interleave([loop('local', local), loop('shared', shared)], plan);
    for (const registry of [local, shared]) {
      const state = registry.breaker(benchService).state;
      if (state !== 'closed') throw new Error(`closed-call cost: the circuit is ${state}`);
    }
    const localSummary = required(summaries.get('local'));
    const sharedSummary = required(summaries.get('shared'));
    return {
      plan,
      local: localSummary,
      shared: sharedSummary,
      ratio: sharedSummary.median / localSummary.median,
    };
  } finally {
    await local.close();
    await shared.close();
  }
}

function loop(id: string, registry: Registry): Entry {
  const breaker = registry.breaker(benchService);
  return {
    id,
    run: async (ops) => {
      for (let i = 0; i < ops; i++) await breaker.execute(succeed);
    },
  };
}

function required(summary: Summary | undefined): Summary {
  if (summary === undefined) throw new Error('closed-call cost: a registry was not measured');
  return summary;
}
