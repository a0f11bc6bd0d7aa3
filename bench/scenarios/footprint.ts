import { CircuitBreaker } from '@breakwater/core';
import { createBreakwater, createCockatiel, createOpossum } from '../contenders';
import { collectAll, type Summary, summarize } from '../measure';
import { countResources } from '../resources';
import { succeed } from '../work';

/** One library's figures, per breaker. Memory is JS heap plus ArrayBuffer backing stores. */
export interface FootprintRow {
  readonly label: string;
  /** Bytes per breaker right after construction. */
  readonly idleHeap: Summary;
  /** Bytes per breaker after each breaker ran one successful call. */
  readonly warmHeap: Summary;
  /** Growth of `process.getActiveResourcesInfo()` per breaker (ref'd timers and handles). */
  readonly activeResources: number;
  /** Timers created per breaker, unref'd ones included, still pending after construction. */
  readonly timers: number;
  /** Timers created per breaker by its first call. */
  readonly timersOnFirstCall: number;
}

export interface FootprintResult {
  readonly breakers: number;
  readonly rounds: number;
  readonly rows: readonly FootprintRow[];
}

/** Builds, exercises and tears down `breakers` breakers of one library. */
interface Fleet {
  readonly label: string;
  /** Allocates room for `count` breakers (before any heap reading). */
  reserve(count: number): void;
  build(names: readonly string[]): void;
  callEach(): Promise<void>;
  dispose(): void;
}

function fleet<B>(
  label: string,
  create: (name: string) => B,
  call: (breaker: B) => Promise<unknown>,
  dispose: (breaker: B) => void,
): Fleet {
  // Slots allocated up front, so the holder array is never counted as the breakers' heap.
  let slots: (B | undefined)[] = [];
  let built = 0;
  return {
    label,
    reserve(count) {
      slots = new Array<B | undefined>(count).fill(undefined);
    },
    build(names) {
      for (built = 0; built < names.length; built++) slots[built] = create(names[built] ?? '');
    },
    async callEach() {
      const calls: Promise<unknown>[] = [];
      for (let i = 0; i < built; i++) {
        const breaker = slots[i];
        if (breaker !== undefined) calls.push(call(breaker));
      }
      await Promise.all(calls);
    },
    dispose() {
      for (let i = 0; i < built; i++) {
        const breaker = slots[i];
        if (breaker !== undefined) dispose(breaker);
        slots[i] = undefined;
      }
      built = 0;
    },
  };
}

/**
 * Scenario 5: many idle breakers. Heap per breaker is the growth of the
 * used heap (after full collections) divided by the number of breakers,
 * whose names are allocated beforehand. Libraries take turns, `rounds`
 * times, and the median is kept.
 */
export async function breakerFootprint(breakers: number, rounds: number): Promise<FootprintResult> {
  const names = Array.from({ length: breakers }, (_, i) => `breaker-${i}`);
  const fleets = [
    fleet('Breakwater', createBreakwater, (b) => b.execute(succeed), noop),
    fleet(
      'Breakwater, no options (variant)',
      (name) => new CircuitBreaker(name),
      (b) => b.execute(succeed),
      noop,
    ),
    fleet(
      'opossum 9',
      createOpossum,
      (b) => b.fire(succeed),
      (b) => b.shutdown(),
    ),
    fleet(
      'cockatiel 3',
      () => createCockatiel(),
      (b) => b.execute(succeed),
      noop,
    ),
  ];
  for (const target of fleets) target.reserve(breakers);
  const idle = fleets.map((): number[] => []);
  const warm = fleets.map((): number[] => []);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < fleets.length; k++) {
      const index = (round + k) % fleets.length;
      const target = fleets[index];
      if (target === undefined) continue;
      const [idleBytes, warmBytes] = await heapPerBreaker(target, names);
      idle[index]?.push(idleBytes);
      warm[index]?.push(warmBytes);
    }
  }
  const rows: FootprintRow[] = [];
  for (const [index, target] of fleets.entries()) {
    const built = await countResources(async () => target.build(names));
    const called = await countResources(() => target.callEach());
    target.dispose();
    rows.push({
      label: target.label,
      idleHeap: summarize(idle[index] ?? []),
      warmHeap: summarize(warm[index] ?? []),
      activeResources: built.activeResources / breakers,
      timers: built.timersAlive / breakers,
      timersOnFirstCall: called.timersCreated / breakers,
    });
  }
  return { breakers, rounds, rows };
}

async function heapPerBreaker(target: Fleet, names: readonly string[]): Promise<[number, number]> {
  const before = usedMemory();
  target.build(names);
  const idle = usedMemory();
  await target.callEach();
  const warm = usedMemory();
  target.dispose();
  return [(idle - before) / names.length, (warm - before) / names.length];
}

/**
 * The JS heap plus ArrayBuffer backing stores, after full collections:
 * typed arrays above 64 bytes keep their contents outside the JS heap.
 */
function usedMemory(): number {
  collectAll();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

function noop(): void {}
