/**
 * WebSocket fan-out under load (issue 5, "Tests and figures"): N subscribed
 * `ws` clients on loopback, the time from a breaker transition to the last
 * client (and the median client) receiving a `service:update` showing it,
 * and the server's memory per connection.
 *
 * The monitor runs in this process on a Registry of a few services; the
 * clients run in one child process (bench/ws-load/clients.ts), so the memory
 * figures are the server's alone. Each round force-opens or releases a
 * breaker through the registry; the clock is CLOCK_MONOTONIC, shared by both
 * processes.
 *
 *   node --expose-gc --import tsx bench/ws-load.ts
 *   env: WS_CLIENTS (1000), WS_ROUNDS (30), WS_WARMUP (3), WS_BATCH (50), WS_GAP_MS (100)
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Registry } from '@breakwater/core';
import { createMonitor, signToken } from '@breakwater/server';
import { integerSetting } from './env-setting';
import { percentile } from './nearest-rank';
import type { FloodReport } from './ws-load/flooder';
import { type ClientSettings, type FromClients, monotonicMs, type ToClients } from './ws-load/ipc';

type FloodMessage = { type: 'ready' } | { type: 'flooding' } | FloodReport;

const clients = integerSetting('WS_CLIENTS', 1_000);
const rounds = integerSetting('WS_ROUNDS', 30);
const warmup = integerSetting('WS_WARMUP', 3, true);
const batch = integerSetting('WS_BATCH', 50);
const gapMs = integerSetting('WS_GAP_MS', 100, true);
/** WS_FLOOD=1: the rounds run twice, the second time while one more client floods the monitor. */
const flood = process.env.WS_FLOOD === '1';
const roundTimeout = 15_000;

const env = { BREAKWATER_JWT_SECRET: 'ws-load-bench-secret-that-is-at-least-32-chars' };
const services = {
  'market-data': {},
  pricing: { dependsOn: ['market-data'] },
  orders: { dependsOn: ['pricing'] },
  auth: {},
  notifications: {},
};
const serviceNames = Object.keys(services);
/** Each pair of rounds force-opens then releases one of these (a root with dependents, a leaf). */
const targets = ['market-data', 'auth', 'orders'];

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) console.warn('warning: run with --expose-gc, memory figures will be noisy');

const registry = new Registry({ services });
// Flood mode: room for one more connection than the clients (the default cap is 1 000 in all).
const monitor = createMonitor(
  flood ? { registry, env, maxConnections: clients + 1 } : { registry, env },
);
const { url } = await monitor.start({ port: 0, host: '127.0.0.1' });
// The monitor allows 20 connections per token: one token per 20 clients, and one for the flooder.
const tokens = await Promise.all(
  Array.from({ length: Math.ceil(clients / 20) + 1 }, (_, i) =>
    signToken({ sub: `ws-load-${i}`, role: 'viewer', ttl: '2h' }, undefined, env),
  ),
);
const flooderToken = tokens.pop() ?? '';

const settings: ClientSettings = {
  url: `${url.replace('http', 'ws')}/api/v2/ws/circuit-breaker`,
  tokens,
  clients,
  batch,
  services: serviceNames.length,
  roundTimeout,
};
const child = fork(
  fileURLToPath(new URL('./ws-load/clients.ts', import.meta.url)),
  [JSON.stringify(settings)],
  { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
);
const inbox = mailbox<FromClients>(child);

try {
  await inbox.next('ready');
  const before = await memory();
  inbox.send({ type: 'connect' });
  const connected = await inbox.next('connected');
  if (connected.clients === 0) throw new Error(`no client connected: ${connected.firstError}`);
  const after = await memory();

  const quiet = await runRounds();
  let flooded: Rounds | undefined;
  let floodReport: FloodReport | undefined;
  if (flood) {
    const flooder = fork(
      fileURLToPath(new URL('./ws-load/flooder.ts', import.meta.url)),
      [settings.url, flooderToken],
      { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
    );
    const flooderBox = mailbox<FloodMessage>(flooder);
    await flooderBox.next('ready');
    flooder.send({ type: 'start' });
    await flooderBox.next('flooding');
    await sleep(1_000); // let it get going: connected, refused, back again
    flooded = await runRounds();
    flooder.send({ type: 'stop' });
    floodReport = await flooderBox.next('flood-report');
    flooder.kill();
  }
  const afterRounds = await memory();

  const table =
    flooded === undefined || floodReport === undefined
      ? report({ before, after, afterRounds, connected, ...quiet })
      : floodTable(connected, quiet, flooded, floodReport);
  const file = flood ? 'ws-load-flood.md' : 'ws-load.md';
  console.log(table);
  const results = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(results, { recursive: true });
  writeFileSync(`${results}${file}`, table);
  console.log(`\nwritten to bench/results/${file}`);
} finally {
  if (child.connected) {
    inbox.send({ type: 'close' });
    await Promise.race([inbox.next('closed'), sleep(5_000)]).catch(() => undefined);
  }
  child.kill();
  await monitor.stop();
}

interface Rounds {
  readonly lastMs: number[];
  readonly medianMs: number[];
  readonly firstMs: number[];
  readonly fanOutMs: number[];
  readonly everyMs: number[];
  readonly missing: number;
}

/** Warm-up and timed rounds: each one changes a breaker and times its update's arrival at every client. */
async function runRounds(): Promise<Rounds> {
  const lastMs: number[] = [];
  const medianMs: number[] = [];
  const firstMs: number[] = [];
  const fanOutMs: number[] = [];
  const everyMs: number[] = [];
  let missing = 0;
  for (let round = 0; round < warmup + rounds; round++) {
    const service = targets[Math.floor(round / 2) % targets.length] ?? 'market-data';
    const opening = round % 2 === 0;
    inbox.send({ type: 'arm', round, service, state: opening ? 'open' : 'closed' });
    await inbox.next('armed');
    const t0 = monotonicMs();
    const change = opening ? registry.forceOpen(service) : registry.release(service);
    // The stream sends the update from a microtask queued by the transition;
    // setImmediate runs once every frame has been handed to its socket.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const sent = monotonicMs() - t0;
    await change;
    const { arrivals } = await inbox.next('arrivals');
    const latencies = arrivals.flatMap((at) => (at === null ? [] : [at - t0]));
    if (round >= warmup) {
      missing += arrivals.length - latencies.length;
      const sorted = latencies.sort((a, b) => a - b);
      lastMs.push(sorted.at(-1) ?? Number.NaN);
      medianMs.push(percentile(sorted, 0.5));
      firstMs.push(sorted[0] ?? Number.NaN);
      fanOutMs.push(sent);
      everyMs.push(...sorted);
    }
    await sleep(gapMs);
  }
  return { lastMs, medianMs, firstMs, fanOutMs, everyMs, missing };
}

interface Memory {
  readonly heapUsed: number;
  readonly rss: number;
  readonly external: number;
}

async function memory(): Promise<Memory> {
  for (let pass = 0; pass < 3; pass++) {
    gc?.();
    await sleep(50);
  }
  const { heapUsed, rss, external } = process.memoryUsage();
  return { heapUsed, rss, external };
}

/** Receives the child's messages in order, one type at a time. */
function mailbox<M extends { type: string }>(worker: ChildProcess) {
  const queue: M[] = [];
  let waiting: (() => void) | undefined;
  let exited: Error | undefined;
  worker.on('message', (message: M) => {
    queue.push(message);
    waiting?.();
  });
  worker.on('exit', (code, signal) => {
    exited = new Error(`client process exited (${code ?? signal})`);
    waiting?.();
  });
  return {
    send(message: ToClients): void {
      worker.send(message);
    },
    async next<T extends M['type']>(type: T): Promise<Extract<M, { type: T }>> {
      for (;;) {
        const index = queue.findIndex((message) => message.type === type);
        if (index >= 0) return queue.splice(index, 1)[0] as Extract<M, { type: T }>;
        if (exited) throw exited;
        await new Promise<void>((resolve) => {
          waiting = resolve;
        });
        waiting = undefined;
      }
    },
  };
}

function stats(samples: readonly number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const cells = [0.5, 0.99].map((fraction) => percentile(sorted, fraction));
  return [...cells, sorted.at(-1) ?? Number.NaN].map((ms) => ms.toFixed(2)).join(' | ');
}

function report(figures: {
  before: Memory;
  after: Memory;
  afterRounds: Memory;
  connected: Extract<FromClients, { type: 'connected' }>;
  lastMs: number[];
  medianMs: number[];
  firstMs: number[];
  fanOutMs: number[];
  everyMs: number[];
  missing: number;
}): string {
  const { before, after, afterRounds, connected, missing } = figures;
  const n = connected.clients;
  const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
  const perClient = (key: keyof Memory) => ((after[key] - before[key]) / n / 1024).toFixed(1);
  const memoryRow = (label: string, key: keyof Memory) =>
    `| ${label} | ${mib(before[key])} | ${mib(after[key])} | ${mib(afterRounds[key])} | +${mib(after[key] - before[key])} | ${perClient(key)} |`;
  const cpu = cpus();
  return [
    '# WebSocket fan-out: N subscribed clients on loopback',
    '',
    `- Date: ${new Date().toISOString()}; Node ${process.version}; CPU: ${cpu[0]?.model.trim() ?? '?'} × ${cpu.length}; ${platform()} ${release()}`,
    `- Clients: ${n} connected (${connected.failed} failed), \`ws\` 8, token in \`Sec-WebSocket-Protocol\`, each subscribed to every service (\`subscribe:services\`) and past its first full \`service:update\`; opened ${batch} at a time in ${(connected.connectMs / 1000).toFixed(1)} s.`,
    `- Server: \`createMonitor\` on a Registry of ${serviceNames.length} services (${serviceNames.join(', ')}; pricing depends on market-data, orders on pricing), default stream settings (full update every 5 s from the shared ticker, heartbeat 30 s), in the benchmark's main process.`,
    `- Clients run in **one separate child process** on the same ${cpu.length}-core machine (server and clients each get about one core), so the memory figures are the server process's alone. The latencies include the client process reading and \`JSON.parse\`-ing all ${n} frames one after another on its single event loop, so the last-client figure is an upper bound on the server's own fan-out time.`,
    `- Rounds: ${figures.lastMs.length} timed (after ${warmup} warm-up), ${gapMs} ms apart; each round force-opens or releases one breaker (\`registry.forceOpen\` / \`release\`, alternating, rotating over ${targets.join(', ')}). Latency = from just before the call until a client receives a \`service:update\` whose \`circuit.state\` shows the new state (CLOCK_MONOTONIC, shared by both processes). Clients that missed a round (${roundTimeout / 1000} s timeout): ${missing}.`,
    '- p50/p99 are nearest-rank percentiles over the samples in each row; with fewer than 100 samples, p99 is the maximum.',
    '',
    '| latency (ms) | samples | p50 | p99 | max |',
    '| --- | ---: | ---: | ---: | ---: |',
    `| last client to receive the update (one per round) | ${figures.lastMs.length} | ${stats(figures.lastMs)} |`,
    `| median client (one per round) | ${figures.medianMs.length} | ${stats(figures.medianMs)} |`,
    `| first client (one per round) | ${figures.firstMs.length} | ${stats(figures.firstMs)} |`,
    `| every client, every round | ${figures.everyMs.length} | ${stats(figures.everyMs)} |`,
    `| server: transition to its next event-loop turn (\`setImmediate\`), by when the update is written to every socket (one per round) | ${figures.fanOutMs.length} | ${stats(figures.fanOutMs)} |`,
    '',
    `Server process memory after \`gc()\` (MiB; per client = growth ÷ ${n}, KiB):`,
    '',
    '| memory | before connecting | after connecting | after the rounds | growth | per client (KiB) |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    memoryRow('heapUsed', 'heapUsed'),
    memoryRow('external', 'external'),
    memoryRow('rss', 'rss'),
    '',
  ].join('\n');
}

/** Flood mode's page: the same rounds without and with the flooder, and what the monitor did to it. */
function floodTable(
  connected: Extract<FromClients, { type: 'connected' }>,
  quiet: Rounds,
  flooded: Rounds,
  flooder: FloodReport,
): string {
  const cpu = cpus();
  const count = (map: Record<string, number>) =>
    Object.entries(map)
      .map(([code, n]) => `${code} × ${n}`)
      .join(', ') || 'none';
  const rows = (label: string, rounds: Rounds) => [
    `| ${label}: last client (one per round) | ${rounds.lastMs.length} | ${stats(rounds.lastMs)} |`,
    `| ${label}: median client (one per round) | ${rounds.medianMs.length} | ${stats(rounds.medianMs)} |`,
    `| ${label}: every client, every round | ${rounds.everyMs.length} | ${stats(rounds.everyMs)} |`,
    `| ${label}: server, transition to its next event-loop turn | ${rounds.fanOutMs.length} | ${stats(rounds.fanOutMs)} |`,
  ];
  return [
    '# WebSocket fan-out while one client floods the monitor',
    '',
    `- Date: ${new Date().toISOString()}; Node ${process.version}; CPU: ${cpu[0]?.model.trim() ?? '?'} × ${cpu.length}; ${platform()} ${release()}; load average at the end ${loadavg()
      .map((n) => n.toFixed(1))
      .join(' / ')} (the machine is shared with other work: latencies are noisy)`,
    `- Command: \`npm run bench:ws-flood\` (\`WS_FLOOD=1\` of \`bench/ws-load.ts\`; the same env as \`npm run bench:ws\`).`,
    `- ${connected.clients} clients (${connected.failed} failed) subscribed to every service, in one child process, as in [ws-load.md](ws-load.md); the monitor in the benchmark's process with default stream settings but \`maxConnections: ${clients + 1}\` (room for the flooder beside them).`,
    `- The same rounds run twice: first with nobody flooding, then while **one more client floods the monitor** from a third process: as fast as its socket drains it sends \`ping\`, \`subscribe:services\`, an unknown type, invalid JSON, a binary frame and a subscription to an unknown 200-character name, in turn; each time the monitor closes it, it connects again. Three processes share ${cpu.length} cores, so the flooder also takes CPU from the server and the clients.`,
    `- Rounds: ${quiet.lastMs.length} timed per phase (after ${warmup} warm-up), ${gapMs} ms apart; a round force-opens or releases a breaker and ends when every client has received the \`service:update\` showing it. Clients that missed a round (15 s timeout): ${quiet.missing} without the flood, ${flooded.missing} with it.`,
    '',
    '| fan-out latency (ms) | samples | p50 | p99 | max |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows('no flood', quiet),
    ...rows('**flood**', flooded),
    '',
    '## What the monitor did to the flooder',
    '',
    `- Connections it opened: ${flooder.connections}; frames it sent: ${flooder.sent}.`,
    `- \`error\` messages it received, by code: ${count(flooder.errors)} (4004: invalid message or binary frame; 4029: over 60 messages a minute, message ignored, then the closing one).`,
    `- Closes, by code: ${count(flooder.closes)} (4029: past twice the rate limit).`,
    `- Replies that were not errors (pongs, updates): ${flooder.answered}.`,
    '',
  ].join('\n');
}
