import { readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { count } from '../format';
import { markdownTable } from '../table';
import type { FleetArgs } from './fleet-args';
import type { PropagationRow } from './fleet-propagation';
import type { MachineLoad } from './machine-meter';
import type { NodeWindow } from './redis-meter';
import type { WorkerWindow } from './worker-protocol';

/** Everything one run of the fleet-size bench measured. */
export interface FleetRun {
  readonly args: FleetArgs;
  readonly date: string;
  /** 1-minute load average before the run started. */
  readonly loadBefore: number;
  readonly machine: MachineLoad;
  /** used_memory of each node before any instance joined. */
  readonly emptyMemory: readonly number[];
  /** MEMORY USAGE of a loaded breaker's window hash and of a tripped breaker's record hash. */
  readonly keyBytes: { readonly window: number; readonly record: number };
  readonly nodes: readonly NodeWindow[];
  readonly workers: readonly WorkerWindow[];
  readonly propagation: readonly PropagationRow[];
  readonly runSeconds: number;
}

const resultsFile = fileURLToPath(new URL('../results/fleet-size.md', import.meta.url));

const header = `# Breakwater benchmark: fleet size

\`npm run bench:fleet -- --processes 16 --breakers 1000 --rate 200 --seconds 30\` (add \`--cluster\` for a Redis Cluster). Each run replaces the section of the same Redis, fleet size and rate below.

Each worker process opens a shared registry (\`Registry.open({ store, shared: true })\`, \`RedisStore\` defaults: flushInterval 200 ms, flushBatchSize 20) with the given number of breakers (trip on 5 consecutive failures, open 5 s) plus a probe breaker, and runs a paced call load: the calls due every 10 ms, each to a breaker chosen at random, 2 % of them failing; the first 4 breakers have an outage of 4 s every 20 s on a schedule shared by every process, so they trip, reopen and close fleet-wide. Worker 0 is the fleet's monitor: it reads the instance reports from the start (as \`breakwater serve\` does), so every instance sends it a report every second and after its transitions. Redis figures are INFO deltas over the steady window (after a warm-up), the meter's own INFO / DBSIZE / CLUSTER calls left out; INFO counts the commands a script runs inside Redis too, and EVALSHA calls are the round trips instances made for scripts. Redis CPU is used_cpu_sys + used_cpu_user ÷ wall time (1.00 = one core: a Redis main thread saturates near 1). Propagation is measured under the same load, after the window, as in \`npm run bench\` section 6: each round one process (in turn) opens the probe (forceOpen, or 5 failing calls: a local trip), every process stamps the change with \`performance.timeOrigin + performance.now()\`, a sample is another process's stamp minus the tripping one's.

**This machine:** every process of the run (the workers, Redis and the bench) shares the cores listed, with whatever else runs there; the machine's load is given with each run. Worker event-loop delay and propagation include waiting for a core.
`;

const sectionTitle = (args: FleetArgs) =>
  `${args.cluster ? 'Redis Cluster (3 masters, no replicas)' : 'One Redis server'}: ${args.processes} × ${count(args.breakers)} at ${count(args.rate)} calls/s per process`;
/** A run replaces the section of the same Redis, fleet size and rate. */
const sectionKey = (args: FleetArgs) =>
  `${args.cluster ? 'cluster' : 'single'} ${args.processes}x${args.breakers} ${args.rate}`;
const sectionPattern = /<!-- fleet: (.+?) -->[\s\S]*?<!-- \/fleet: \1 -->/g;

/** Writes this run's section of bench/results/fleet-size.md, keeping the others. */
export async function writeFleetSection(run: FleetRun): Promise<string> {
  const existing = await readFile(resultsFile, 'utf8').catch(() => '');
  const sections = new Map<string, string>();
  for (const match of existing.matchAll(sectionPattern)) sections.set(match[1] ?? '', match[0]);
  const key = sectionKey(run.args);
  sections.set(key, `<!-- fleet: ${key} -->\n${renderFleetRun(run)}\n<!-- /fleet: ${key} -->`);
  const ordered = [...sections].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
  const body = ordered.map(([, section]) => section).join('\n\n');
  await writeFile(resultsFile, `${header}\n${body}\n`);
  return resultsFile;
}

/** One run as a Markdown section. */
export function renderFleetRun(run: FleetRun): string {
  const { args, machine } = run;
  const calls = sum(run.workers.map((worker) => worker.calls / worker.seconds));
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return [
    `## ${sectionTitle(args)}`,
    '',
    `- Date: ${run.date}; Node ${process.version}; ${machine.cores} cores (${cpu}); run time ${run.runSeconds.toFixed(0)} s`,
    `- Fleet: ${args.processes} processes × ${count(args.breakers)} breakers, ${count(args.rate)} calls/s per process (${count(Math.round(calls))} calls/s in all, measured), ${(100 * args.failureRate).toFixed(0)} % failures, 4 breakers with outages; window ${args.seconds} s after ${args.warmup} s of warm-up`,
    `- Machine during the window: ${pct(machine.busy)} of all cores busy; load average ${run.loadBefore.toFixed(2)} before the run, ${machine.loadAverage.toFixed(2)} at the end of the window`,
    '',
    '### Redis',
    '',
    redisTable(run),
    '',
    `Commands by name (all nodes, per second): ${commandsByName(run.nodes)}.`,
    '',
    derived(run),
    '',
    '### Workers',
    '',
    workersTable(run.workers),
    '',
    '### Open propagation under load',
    '',
    markdownTable({
      headers: ['tripped by', 'rounds', 'failed rounds', 'samples', 'p50', 'p99', 'max'],
      rows: run.propagation.map((row) => [
        row.trip === 'forceOpen' ? 'registry.forceOpen()' : 'failing calls (local trip)',
        String(row.rounds),
        row.firstFailure === null ? '0' : `${row.failedRounds} (first: ${row.firstFailure})`,
        String(row.samples),
        ms(row.p50),
        ms(row.p99),
        ms(row.max),
      ]),
    }),
  ].join('\n');
}

function redisTable(run: FleetRun): string {
  const row = (label: string, nodes: readonly NodeWindow[]) => [
    label,
    count(Math.round(sum(nodes.map((node) => node.commandsPerSecond)))),
    count(Math.round(sum(nodes.map((node) => node.scriptCallsPerSecond)))),
    count(Math.round(sum(nodes.map((node) => node.publishesPerSecond)))),
    sum(nodes.map((node) => node.cpu)).toFixed(2),
    mb(sum(nodes.map((node) => node.usedMemory))),
    mb(sum(nodes.map((node) => node.datasetMemory))),
    mb(sum(nodes.map((node) => node.clientMemory))),
    count(sum(nodes.map((node) => node.keys))),
    mbps(sum(nodes.map((node) => node.netInPerSecond))),
    mbps(sum(nodes.map((node) => node.netOutPerSecond))),
    mb(Math.max(...nodes.map((node) => node.largestOutputBuffer))),
    count(sum(nodes.map((node) => node.newConnections))),
    ...(run.args.cluster
      ? [count(Math.round(sum(nodes.map((node) => node.busPublishesPerSecond))))]
      : []),
  ];
  const headers = [
    'node',
    'commands/s',
    'script calls/s',
    'PUBLISH/s',
    'CPU (cores)',
    'used memory',
    'dataset',
    'client buffers',
    'keys',
    'net in',
    'net out',
    'largest client buffer',
    'new connections',
    ...(run.args.cluster ? ['bus PUBLISH msgs/s'] : []),
  ];
  const rows = run.nodes.map((node) => row(`:${node.port}`, [node]));
  if (run.nodes.length > 1) rows.push(row('**all masters**', run.nodes));
  return markdownTable({ headers, rows });
}

/** The per-unit costs the projection in docs/shared-state.md starts from. */
function derived(run: FleetRun): string {
  const { args, nodes, workers } = run;
  const commands = sum(nodes.map((node) => node.commandsPerSecond));
  const scripts = sum(nodes.map((node) => node.scriptCallsPerSecond));
  const cpu = sum(nodes.map((node) => node.cpu));
  const dataset = sum(nodes.map((node) => node.datasetMemory));
  const netOut = sum(nodes.map((node) => node.netOutPerSecond));
  const netIn = sum(nodes.map((node) => node.netInPerSecond));
  const grown = sum(nodes.map((node) => node.usedMemory)) - sum(run.emptyMemory);
  const reportSizes = workers.flatMap((worker) => worker.reportBytes);
  const report = median(reportSizes);
  const breakerCalls = sum(workers.map((worker) => worker.calls / worker.seconds));
  return [
    'Per unit:',
    '',
    `- script calls per instance: ${count(Math.round(scripts / args.processes))}/s (${((1000 * scripts) / breakerCalls).toFixed(0)} per 1,000 calls); commands per script call: ${(commands / Math.max(1, scripts)).toFixed(1)}`,
    `- Redis CPU per 1,000 commands/s: ${pct((1000 * cpu) / Math.max(1, commands))} of a core; per instance: ${pct(cpu / args.processes)} of a core`,
    `- dataset per breaker: ${Number.isNaN(dataset) ? 'n/a (Redis reported no dataset size)' : `${count(Math.round(dataset / args.breakers))} B`} (${count(sum(nodes.map((node) => node.keys)))} keys for ${count(args.breakers)} breakers); used memory grew ${mb(grown)} from the empty server(s), client buffers included; MEMORY USAGE of one breaker's window hash ${count(run.keyBytes.window)} B, of a record hash (only breakers that ever left closed have one) ${count(run.keyBytes.record)} B`,
    `- one instance's report (published every second while the monitor asks, delivered to the monitor): ${count(report)} B, ${(report / args.breakers).toFixed(0)} B per breaker; net in ${kb(netIn / args.processes)}/s and net out ${kb(netOut / args.processes)}/s per instance`,
  ].join('\n');
}

function workersTable(workers: readonly WorkerWindow[]): string {
  const spread = (values: readonly number[], format: (value: number) => string) => {
    const sorted = [...values].sort((a, b) => a - b);
    return `${format(sorted[0] ?? Number.NaN)} / ${format(median(sorted))} / ${format(sorted[sorted.length - 1] ?? Number.NaN)}`;
  };
  const rows: Array<[string, string]> = [
    [
      'CPU (cores)',
      spread(
        workers.map((worker) => worker.cpu),
        (value) => value.toFixed(2),
      ),
    ],
    ['CPU of all workers (cores)', sum(workers.map((worker) => worker.cpu)).toFixed(2)],
    [
      'event-loop delay p50',
      spread(
        workers.map((worker) => worker.loopDelayP50),
        ms,
      ),
    ],
    [
      'event-loop delay p99',
      spread(
        workers.map((worker) => worker.loopDelayP99),
        ms,
      ),
    ],
    [
      'event-loop delay max',
      spread(
        workers.map((worker) => worker.loopDelayMax),
        ms,
      ),
    ],
    [
      'calls/s',
      spread(
        workers.map((worker) => worker.calls / worker.seconds),
        (value) => count(Math.round(value)),
      ),
    ],
    [
      'rejected (open breakers)',
      spread(
        workers.map((worker) => worker.rejected),
        (value) => count(value),
      ),
    ],
    [
      'report size (each instance, read by the monitor)',
      spread(
        workers.flatMap((worker) => worker.reportBytes),
        (value) => kb(value),
      ),
    ],
    [
      'RSS',
      spread(
        workers.map((worker) => worker.rssBytes),
        mb,
      ),
    ],
    [
      'turned degraded in the window',
      `${workers.filter((worker) => worker.degraded > 0).length} of ${workers.length} workers, ${sum(workers.map((worker) => worker.degraded))} times${lastReason(workers)}`,
    ],
    [
      'sharing at the end',
      `${workers.filter((worker) => worker.shared).length} of ${workers.length} shared`,
    ],
  ];
  return markdownTable({ headers: ['per worker', 'min / median / max'], rows });
}

function lastReason(workers: readonly WorkerWindow[]): string {
  const reason = workers.find((worker) => worker.degradedReason !== null)?.degradedReason;
  return reason === undefined || reason === null ? '' : ` (e.g. ${reason})`;
}

function commandsByName(nodes: readonly NodeWindow[]): string {
  const totals = new Map<string, number>();
  const seconds = nodes[0]?.seconds ?? 1;
  for (const node of nodes) {
    for (const [name, calls] of Object.entries(node.commands)) {
      totals.set(name, (totals.get(name) ?? 0) + calls);
    }
  }
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .map(([name, calls]) => `${name} ${count(Math.round(calls / seconds))}`)
    .join(', ');
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
};
const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;
const pct = (value: number) => `${(100 * value).toFixed(1)} %`;
const kb = (value: number) => `${(value / 1024).toFixed(1)} KB`;
const mb = (value: number) =>
  Number.isNaN(value) ? 'n/a' : `${(value / 1024 / 1024).toFixed(1)} MB`;
const mbps = (value: number) => `${(value / 1024 / 1024).toFixed(2)} MB/s`;
