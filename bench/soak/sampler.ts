import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';

/** One look at this process, taken every sampling interval. */
export interface SoakSample {
  /** Seconds since the soak started. */
  readonly atS: number;
  /** After a full gc (when --expose-gc is on), bytes. */
  readonly heapUsed: number;
  /** The part of heapUsed that is compiled code (V8's code spaces): it grows as the JIT warms up. */
  readonly codeUsed: number;
  readonly rss: number;
  readonly external: number;
  /** `process.getActiveResourcesInfo()` by type: handles and requests the event loop holds. */
  readonly resources: Readonly<Record<string, number>>;
  /** Event-loop delay over the interval since the previous sample, ms beyond the monitor's 10 ms timer. */
  readonly loopP50: number;
  readonly loopP99: number;
  readonly loopMax: number;
  /** 1-minute load average of the machine. */
  readonly load1: number;
}

/** The delay monitor's timer, ms: each value it records includes this much. */
const resolutionMs = 10;

const gc = (globalThis as { gc?: () => void }).gc;

/** Whether heap figures are taken after a full collection. */
export const collectsGarbage = gc !== undefined;

/**
 * Samples the process it runs in. The event-loop histogram is read and reset
 * before the gc, so the collection the sample forces is not counted as delay.
 */
export class Sampler {
  readonly #loop = monitorEventLoopDelay({ resolution: resolutionMs });
  readonly #start = performance.now();

  constructor() {
    this.#loop.enable();
  }

  sample(): SoakSample {
    // Delay beyond the timer's own period.
    const ms = (ns: number) => Math.max(0, ns / 1e6 - resolutionMs);
    const loopP50 = ms(this.#loop.percentile(50));
    const loopP99 = ms(this.#loop.percentile(99));
    const loopMax = ms(this.#loop.max);
    this.#loop.reset();
    gc?.();
    const { heapUsed, rss, external } = process.memoryUsage();
    return {
      atS: (performance.now() - this.#start) / 1000,
      heapUsed,
      codeUsed: codeSpaceUsed(),
      rss,
      external,
      resources: countByType(process.getActiveResourcesInfo()),
      loopP50,
      loopP99,
      loopMax,
      load1: loadavg()[0] ?? 0,
    };
  }

  stop(): void {
    this.#loop.disable();
  }
}

function codeSpaceUsed(): number {
  return getHeapSpaceStatistics()
    .filter((space) => space.space_name.startsWith('code'))
    .reduce((sum, space) => sum + space.space_used_size, 0);
}

function countByType(types: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of types) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}
