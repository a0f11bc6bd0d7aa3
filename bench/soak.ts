/**
 * Soak: runs the demo's fleet (the twelve DegenDuel services under simulated
 * traffic and injected outages, 20× real time) with the monitor and the
 * dashboard serving, in this process, for N minutes under a steady load from
 * a child process (bench/soak/load.ts: subscribed WebSocket clients that
 * reconnect now and then, HTTP reads of the API and /metrics, admin
 * actions). Every few seconds it samples this process: heapUsed after a full
 * gc, rss, external, active handles and requests, event-loop delay. Prints a
 * row per sample and a verdict (heap growth fitted over the second half);
 * exits 1 when memory or handles grow.
 *
 *   npm run soak -- --minutes 30
 *   options: --sample-seconds S (default: 60 samples over the run, 5..60 s),
 *            --clients N (WebSocket clients, default 8),
 *            --max-growth-mb-per-hour M (default 2), --out FILE (default bench/results/soak.md),
 *            --heap-snapshots DIR (a heap snapshot at the middle and at the end, to compare
 *            in Chrome DevTools when memory grows; writing one drops V8's caches, which
 *            then fill again, so judge memory on a run without it)
 *
 * Run it 30 minutes or more: in a shorter run the JIT's warm-up reaches into
 * the second half and the fitted growth is mostly compiled code.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeHeapSnapshot } from 'node:v8';
import { runDemo } from '@breakwater/cli';
import type { Registry } from '@breakwater/core';
import { signToken } from '@breakwater/server';
import { serveDemoMonitor } from '../packages/cli/src/monitor/demo-monitor';
import type { FromLoad, LoadSettings, LoadTotals, ToLoad } from './soak/ipc';
import { soakReport } from './soak/report';
import { sampleCells, sampleRow, sampleTable } from './soak/sample-table';
import { collectsGarbage, Sampler, type SoakSample } from './soak/sampler';
import { defaultMaxGrowthMbPerHour, judge, mb } from './soak/verdict';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    'sample-seconds': { type: 'string' },
    clients: { type: 'string', default: '8' },
    'max-growth-mb-per-hour': { type: 'string', default: String(defaultMaxGrowthMbPerHour) },
    out: { type: 'string', default: 'bench/results/soak.md' },
    'heap-snapshots': { type: 'string' },
  },
});
const minutes = positive('--minutes', values.minutes);
const sampleSeconds = values['sample-seconds']
  ? positive('--sample-seconds', values['sample-seconds'])
  : Math.min(60, Math.max(5, (minutes * 60) / 60));
const wsClients = Math.round(positive('--clients', values.clients));
const maxGrowth = positive('--max-growth-mb-per-hour', values['max-growth-mb-per-hour']);
if (!collectsGarbage) console.warn('warning: run with --expose-gc, heap figures will be noisy');
if (values['heap-snapshots'])
  console.warn('warning: heap snapshots perturb the heap; do not judge memory on this run');

const env = { BREAKWATER_JWT_SECRET: randomBytes(32).toString('base64url') };
const storeDir = mkdtempSync(join(tmpdir(), 'breakwater-soak-'));
const stop = new AbortController();
let demoLines = 0;
let monitorUrl: (url: string) => void = () => undefined;
const listening = new Promise<string>((resolve) => {
  monitorUrl = resolve;
});
let registryOpen: Registry | undefined;

const demo = runDemo({
  durationMs: Number.POSITIVE_INFINITY,
  signal: stop.signal,
  storeFile: join(storeDir, 'soak.db'),
  fresh: true,
  // Counted, not kept: the soak measures the fleet, not a growing log.
  write: (text) => {
    demoLines += text.split('\n').length - 1;
  },
  onOpen: async (registry) => {
    registryOpen = registry;
    return serveDemoMonitor(registry, {
      port: 0,
      env,
      write: (text) => {
        const url = /listening on (\S+)/.exec(text)?.[1];
        if (url !== undefined) monitorUrl(url);
      },
    });
  },
});
demo.catch(() => monitorUrl(''));
const url = await listening;
if (url === '' || registryOpen === undefined) {
  await demo; // throws what stopped it
  throw new Error('the demo ended before its monitor listened');
}
const services = registryOpen.list();

const token = (role: 'viewer' | 'admin') =>
  signToken({ sub: `soak-${role}`, role, ttl: `${Math.ceil(minutes / 60) + 1}h` }, undefined, env);
const settings: LoadSettings = {
  url,
  viewerToken: await token('viewer'),
  adminToken: await token('admin'),
  services,
  wsClients,
  wsLifetimeMs: 60_000,
  readEveryMs: 100,
  adminEveryMs: 5_000,
};
const load = fork(
  fileURLToPath(new URL('./soak/load.ts', import.meta.url)),
  [JSON.stringify(settings)],
  {
    execArgv: ['--conditions=@breakwater/source', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  },
);
await reply(load, 'ready');

const sampler = new Sampler();
const samples: SoakSample[] = [];
const rows: string[][] = [];
const started = performance.now();
console.log(
  `soak: ${minutes} min, a sample every ${sampleSeconds} s; demo on ${url}, ${services.length} services, ${wsClients} WebSocket clients, an HTTP read every ${settings.readEveryMs} ms, an admin action every ${settings.adminEveryMs / 1000} s\n`,
);
console.log(sampleTable.header());
const lastSample = Math.floor((minutes * 60) / sampleSeconds);
for (let next = 0; next <= lastSample; next += 1) {
  await sleep(Math.max(0, started + next * sampleSeconds * 1000 - performance.now()));
  const sample = sampler.sample();
  if (values['heap-snapshots'] && (next === Math.floor(lastSample / 2) || next === lastSample)) {
    mkdirSync(values['heap-snapshots'], { recursive: true });
    const file = writeHeapSnapshot(join(values['heap-snapshots'], `soak-${next}.heapsnapshot`));
    console.log(`heap snapshot: ${file}`);
  }
  const totals = await loadTotals(load);
  samples.push(sample);
  rows.push(sampleCells(sample, totals, demoLines));
  console.log(sampleRow(sample, totals, demoLines));
}
sampler.stop();

load.send({ type: 'stop' } satisfies ToLoad);
const finalLoad = (await reply(load, 'totals')).totals;
stop.abort();
const result = await demo;
rmSync(storeDir, { recursive: true, force: true });

const verdict = judge(samples, maxGrowth);
console.log(
  `\nheapUsed after gc: ${mb(samples[0]?.heapUsed ?? 0)} MB at the start, ${mb(samples.at(-1)?.heapUsed ?? 0)} MB at the end; ` +
    `over the second half: ${mb(verdict.heapGrowthPerHour)} MB/h Theil–Sen (limit ${maxGrowth} MB/h), ${mb(verdict.heapLeastSquaresPerHour)} MB/h least-squares, ${mb(verdict.dataGrowthPerHour)} MB/h outside compiled code; rss ${mb(verdict.rssGrowthPerHour)} MB/h`,
);
console.log(
  `load: ${finalLoad.wsConnects} WebSocket connections, ${finalLoad.wsMessages} messages, ${finalLoad.wsErrors} errors; ` +
    `${finalLoad.httpOk} HTTP requests answered, ${finalLoad.httpFailed} failed; ${finalLoad.adminActions} admin actions` +
    (finalLoad.firstError === null ? '' : `; first error: ${finalLoad.firstError}`),
);
console.log(
  `demo: ${Math.round(result.elapsedMs / 1000)} s, ${demoLines} lines printed, ended ${result.interrupted ? 'by the soak' : 'on its own'}`,
);
console.log(
  verdict.passed ? 'PASS: memory and handles flat' : `FAIL: ${verdict.reasons.join('; ')}`,
);
writeFileSync(
  values.out,
  soakReport({
    minutes,
    sampleSeconds,
    settings,
    samples,
    rows,
    finalLoad,
    verdict,
    maxGrowth,
    demoLines,
  }),
);
console.log(`wrote ${values.out}`);
process.exitCode = verdict.passed && finalLoad.httpFailed === 0 ? 0 : 1;

function positive(name: string, text: string | undefined): number {
  const value = Number(text);
  if (!(value > 0)) throw new Error(`${name} must be a number > 0, got '${text}'`);
  return value;
}

function reply<T extends FromLoad['type']>(
  child: ChildProcess,
  type: T,
): Promise<Extract<FromLoad, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromLoad) => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message as Extract<FromLoad, { type: T }>);
    };
    const onExit = (code: number | null) => reject(new Error(`the load process exited (${code})`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function loadTotals(child: ChildProcess): Promise<LoadTotals> {
  child.send({ type: 'totals' } satisfies ToLoad);
  return (await reply(child, 'totals')).totals;
}
