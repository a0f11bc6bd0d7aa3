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
import { cpus, platform, release } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Registry } from '@breakwater/core';
import { createMonitor, signToken } from '@breakwater/server';
import { type ClientSettings, type FromClients, monotonicMs, type ToClients } from './ws-load/ipc';

const clients = positive('WS_CLIENTS', 1_000);
const rounds = positive('WS_ROUNDS', 30);
const warmup = positive('WS_WARMUP', 3, true);
const batch = positive('WS_BATCH', 50);
const gapMs = positive('WS_GAP_MS', 100, true);
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
const monitor = createMonitor({ registry, env });
const { url } = await monitor.start({ port: 0, host: '127.0.0.1' });
const token = await signToken({ sub: 'ws-load', role: 'viewer', ttl: '2h' }, undefined, env);

const settings: ClientSettings = {
  url: `${url.replace('http', 'ws')}/api/v2/ws/circuit-breaker`,
  token,
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
const inbox = mailbox(child);

try {
  await inbox.next('ready');
  const before = await memory();
  inbox.send({ type: 'connect' });
  const connected = await inbox.next('connected');
  if (connected.clients === 0) throw new Error(`no client connected: ${connected.firstError}`);
  const after = await memory();

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
  const afterRounds = await memory();

  const table = report({
    before,
    after,
    afterRounds,
    connected,
    lastMs,
    medianMs,
    firstMs,
    fanOutMs,
    everyMs,
    missing,
  });
  console.log(table);
  const results = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(results, { recursive: true });
  writeFileSync(`${results}ws-load.md`, table);
  console.log(`\nwritten to bench/results/ws-load.md`);
} finally {
  if (child.connected) {
    inbox.send({ type: 'close' });
    await Promise.race([inbox.next('closed'), sleep(5_000)]).catch(() => undefined);
  }
  child.kill();
  await monitor.stop();
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
function mailbox(worker: ChildProcess) {
  const queue: FromClients[] = [];
  let waiting: (() => void) | undefined;
  let exited: Error | undefined;
  worker.on('message', (message: FromClients) => {
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
    async next<T extends FromClients['type']>(type: T): Promise<Extract<FromClients, { type: T }>> {
      for (;;) {
        const index = queue.findIndex((message) => message.type === type);
        if (index >= 0) return queue.splice(index, 1)[0] as Extract<FromClients, { type: T }>;
        if (exited) throw exited;
        await new Promise<void>((resolve) => {
          waiting = resolve;
        });
        waiting = undefined;
      }
    },
  };
}

function positive(name: string, fallback: number, zeroOk = false): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < (zeroOk ? 0 : 1))
    throw new Error(
      `${name} must be a ${zeroOk ? 'non-negative' : 'positive'} integer, got ${raw}`,
    );
  return value;
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
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
