/** One thing to time: `run(ops)` performs `ops` operations. */
export interface Entry {
  readonly id: string;
  readonly run: (ops: number) => Promise<void>;
  /** Operations per sample for this entry, instead of the plan's. */
  readonly ops?: number;
  /** Untimed set-up before each sample. */
  readonly prepare?: () => void | Promise<void>;
}

/** How long to measure: every round runs every entry once, `ops` operations each. */
export interface Plan {
  readonly warmupRounds: number;
  readonly rounds: number;
  readonly ops: number;
}

/** The distribution of one entry's per-round figures (ns per operation). */
export interface Summary {
  readonly median: number;
  readonly p25: number;
  readonly p75: number;
  readonly min: number;
  readonly max: number;
  readonly rounds: number;
}

/**
 * Times the entries in interleaved rounds: round r runs every entry once,
 * starting from entry r mod n, so slow phases of the machine (another
 * process, a CPU frequency change) hit every entry alike and no entry always
 * runs first or right after the same neighbour. Each entry's young
 * generation is collected before it runs, so it pays for its own garbage,
 * and the event loop turns after each sample.
 */
export async function interleave(
  entries: readonly Entry[],
  plan: Plan,
): Promise<Map<string, Summary>> {
  const perOp = new Map<string, number[]>(entries.map((entry) => [entry.id, []]));
  const total = plan.warmupRounds + plan.rounds;
  for (let round = 0; round < total; round++) {
    for (let k = 0; k < entries.length; k++) {
      const entry = entries[(round + k) % entries.length];
      if (entry === undefined) continue;
      const ops = entry.ops ?? plan.ops;
      await entry.prepare?.();
      collectYoung();
      const start = process.hrtime.bigint();
      await entry.run(ops);
      const elapsed = Number(process.hrtime.bigint() - start);
      if (round >= plan.warmupRounds) perOp.get(entry.id)?.push(elapsed / ops);
      await turnEventLoop();
    }
  }
  return new Map([...perOp].map(([id, values]) => [id, summarize(values)]));
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    rounds: sorted.length,
  };
}

/** Linear interpolation between the closest ranks of an ascending array. */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const lowValue = sorted[low] ?? Number.NaN;
  const highValue = sorted[Math.ceil(position)] ?? lowValue;
  return lowValue + (highValue - lowValue) * (position - low);
}

/**
 * Awaiting settled promises never leaves the microtask queue, so without
 * this the whole run would be one macrotask: no timer would fire (opossum
 * rotates its rolling window from a setInterval) and nothing else would run,
 * unlike any real server. One untimed turn between samples.
 */
function turnEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A full collection, twice, so that weak references and finalizers settle too. */
export function collectAll(): void {
  requireGc()();
  requireGc()();
}

function collectYoung(): void {
  requireGc()({ type: 'minor' });
}

function requireGc(): NodeJS.GCFunction {
  if (globalThis.gc === undefined) {
    throw new Error('The benchmark needs --expose-gc: run it with `npm run bench`');
  }
  return globalThis.gc;
}
