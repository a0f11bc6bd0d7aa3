import { readFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';

/** The machine's CPU time counters (from /proc/stat), in clock ticks. */
interface CpuTicks {
  readonly busy: number;
  readonly total: number;
}

/** How loaded the whole machine was over a window: our processes and everyone else's. */
export interface MachineLoad {
  readonly cores: number;
  /** Share of all cores' time spent busy (1 = every core busy all the time). */
  readonly busy: number;
  /** 1-minute load average at the end of the window. */
  readonly loadAverage: number;
}

/** Reads /proc/stat's first line; undefined off Linux. */
export async function cpuTicks(): Promise<CpuTicks | undefined> {
  const text = await readFile('/proc/stat', 'utf8').catch(() => undefined);
  const line = text?.split('\n')[0];
  if (line === undefined || !line.startsWith('cpu ')) return undefined;
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: idle and iowait are not busy.
  const total = ticks.slice(0, 8).reduce((sum, value) => sum + value, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return { busy: total - idle, total };
}

export function machineLoad(
  before: CpuTicks | undefined,
  after: CpuTicks | undefined,
): MachineLoad {
  const busy =
    before === undefined || after === undefined
      ? Number.NaN
      : (after.busy - before.busy) / Math.max(1, after.total - before.total);
  return { cores: availableParallelism(), busy, loadAverage: loadavg()[0] ?? Number.NaN };
}
