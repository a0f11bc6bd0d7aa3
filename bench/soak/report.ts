import { cpus, platform, release } from 'node:os';
import { markdownTable } from '../table';
import type { LoadSettings, LoadTotals } from './ipc';
import { resourceMix, sampleHeaders } from './sample-table';
import type { SoakSample } from './sampler';
import { mb, type SoakVerdict } from './verdict';

export interface SoakRun {
  readonly minutes: number;
  readonly sampleSeconds: number;
  readonly settings: LoadSettings;
  readonly samples: readonly SoakSample[];
  /** Each sample's cells, as printed. */
  readonly rows: readonly (readonly string[])[];
  readonly finalLoad: LoadTotals;
  readonly verdict: SoakVerdict;
  readonly maxGrowth: number;
  readonly demoLines: number;
}

/** bench/results/soak.md: the run, its samples and its verdict. */
export function soakReport(run: SoakRun): string {
  const { minutes, sampleSeconds, settings, samples, finalLoad, verdict, maxGrowth } = run;
  const first = samples[0];
  const last = samples.at(-1);
  const loads = samples.map((sample) => sample.load1);
  const cpu = cpus();
  return `# Soak: the demo under load for ${minutes} minutes

- Date: ${new Date().toISOString()}; Node ${process.version}; CPU: ${cpu[0]?.model ?? '?'} × ${cpu.length}; ${platform()} ${release()}
- Reproduce: \`npm run soak -- --minutes ${minutes}\` (options: \`--sample-seconds\`, \`--clients\`, \`--max-growth-mb-per-hour\`, \`--out\`).
- Measured process: the demo's fleet (\`runDemo\`: ${settings.services.length} services under simulated traffic and injected outages, 20× real time, store in a fresh temporary SQLite file) with the monitor and the dashboard serving on 127.0.0.1 (\`serveDemoMonitor\`, as \`breakwater demo --port 0\` does). Run with \`--expose-gc\`: every sample is taken after a full gc.
- Load, from a separate child process: ${settings.wsClients} WebSocket clients subscribed to every service, each reconnecting about every ${settings.wsLifetimeMs / 1000} s; an HTTP read every ${settings.readEveryMs} ms, rotating over \`/api/circuit-breakers/health\`, \`/metrics\`, one service's detail and history, \`/api/health/circuit-breaker\`, \`/api/audit\`; an admin action every ${settings.adminEveryMs / 1000} s (force-open then release a service, every third time a reset-all).
- Totals: ${finalLoad.wsConnects} WebSocket connections, ${finalLoad.wsMessages} messages received, ${finalLoad.wsErrors} socket errors; ${finalLoad.httpOk} HTTP requests answered, ${finalLoad.httpFailed} failed; ${finalLoad.adminActions} admin actions; ${run.demoLines} lines printed by the demo.${finalLoad.firstError === null ? '' : ` First error: ${finalLoad.firstError}.`}
- Machine load (1-minute average) during the run: ${Math.min(...loads).toFixed(2)} to ${Math.max(...loads).toFixed(2)}, mean ${(loads.reduce((a, b) => a + b, 0) / loads.length).toFixed(2)} on 2 cores shared with other work, so event-loop delays include other processes' load.

## Verdict: ${verdict.passed ? 'PASS, memory and handles flat' : `FAIL: ${verdict.reasons.join('; ')}`}

| figure | value |
| --- | ---: |
| heapUsed after gc, first sample → last (MB) | ${mb(first?.heapUsed ?? 0)} → ${mb(last?.heapUsed ?? 0)} |
| heapUsed growth over the second half, Theil–Sen slope (MB/h, judged) | ${mb(verdict.heapGrowthPerHour)} (limit ${maxGrowth}) |
| the same, least-squares (MB/h) | ${mb(verdict.heapLeastSquaresPerHour)} |
| of it, outside V8's code spaces (compiled code), over the second half (MB/h, not judged) | ${mb(verdict.dataGrowthPerHour)} |
| rss, first → last (MB) | ${mb(first?.rss ?? 0)} → ${mb(last?.rss ?? 0)} |
| rss growth over the second half (MB/h, not judged) | ${mb(verdict.rssGrowthPerHour)} |
| active handles and requests: highest in the second quarter, lowest in the last | ${verdict.resourcesSecondQuarterMax}, ${verdict.resourcesLastQuarterMin} |
| event-loop delay p99, worst sample interval (ms) | ${Math.max(...samples.map((sample) => sample.loopP99)).toFixed(1)} |
| event-loop delay max, whole run (ms) | ${Math.max(...samples.map((sample) => sample.loopMax)).toFixed(1)} |

The limit: the demo makes 120 breaker calls a second, 432 000 an hour; a
leak of 5 bytes per call (one small object every tenth call) grows 2.2 MB an
hour, above the limit, while a flat run's fitted slope stays well below it.
The first half is warm-up (JIT, pools, the history's bounded lists filling)
and is not fitted. The judged slope is Theil–Sen (the median of the slopes
between every pair of samples): on a quiet machine V8's memory reducer now
and then drops bytecode and feedback, taking 0.5 to 1 MB off heapUsed for a
few minutes, and a least-squares line tilts toward such a dip at either end
of the window, while a leak lifts every later sample and moves both.

Handles and requests at the last sample: ${last === undefined ? '' : resourceMix(last)}.

## Samples (one every ${sampleSeconds} s; event-loop delay over the interval before each)

${markdownTable({ headers: [...sampleHeaders], rows: run.rows })}
`;
}
