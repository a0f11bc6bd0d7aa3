/**
 * WebSocket churn and slow clients: does the monitor give back what
 * connections took?
 *
 * 1. Churn: CHURN_CYCLES (10 000) connect → token → initial state →
 *    subscribe → its update → close cycles, CHURN_CONCURRENCY (50) at a
 *    time, one token per concurrent slot. The monitor's heapUsed, rss and
 *    active handles (`process.getActiveResourcesInfo()`) are taken after
 *    `gc()` before, after a warm-up, and after the cycles.
 * 2. Slow clients: SLOW_CLIENTS (20) subscribe to 200 services and stop
 *    reading while the breakers change in a tight loop; one client keeps
 *    reading. The monitor skips updates to a client over `maxBufferedBytes`
 *    (1 MiB) and terminates it at a heartbeat (2 s here); its memory is
 *    sampled throughout.
 *
 * The monitor runs in a child process of its own (bench/ws-load/monitor-process.ts),
 * so its memory is measured alone; the clients run here.
 *
 *   npm run bench:churn
 *   env: CHURN_CYCLES (10000), CHURN_CONCURRENCY (50), SLOW_CLIENTS (20), SLOW_MS (8000)
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release } from 'node:os';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import type {
  FromMonitor,
  MonitorSettings,
  ServerFigures,
  ToMonitor,
} from './ws-load/monitor-process';

const cycles = positive('CHURN_CYCLES', 10_000);
const concurrency = positive('CHURN_CONCURRENCY', 50);
const slowClients = positive('SLOW_CLIENTS', 20);
const slowMs = positive('SLOW_MS', 8_000);
const warmupCycles = Math.min(500, Math.floor(cycles / 10));

// ---- churn ----
const churnMonitor = startMonitor({ services: 5, tokens: concurrency });
const churnStart = await churnMonitor.next('started');
console.error(`churn: ${cycles} cycles, ${concurrency} at a time…`);
const before = await churnMonitor.measure();
await churn(churnStart.url, churnStart.tokens, warmupCycles);
const afterWarmup = await churnMonitor.measure();
const churnStarted = performance.now();
const churnResult = await churn(churnStart.url, churnStart.tokens, cycles);
const churnSeconds = (performance.now() - churnStarted) / 1000;
const afterChurn = await churnMonitor.measure();
await churnMonitor.stop();

// ---- slow clients ----
const heartbeatInterval = 2_000;
const slowMonitor = startMonitor({
  services: 200,
  tokens: Math.ceil((slowClients + 1) / 20),
  heartbeatInterval,
});
const slowStart = await slowMonitor.next('started');
console.error(`slow clients: ${slowClients}, states churning for ${slowMs} ms…`);
const slowBefore = await slowMonitor.measure();
const slow = await slowCase(slowStart.url, slowStart.tokens, slowMonitor);
const slowAfter = await slowMonitor.measure();
await slowMonitor.stop();

const table = report();
console.log(table);
const results = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(results, { recursive: true });
writeFileSync(`${results}ws-churn.md`, table);
console.log('\nwritten to bench/results/ws-churn.md');

/** One cycle: open, initial state, subscribe, its update, close; resolves once closed. */
function cycle(url: string, token: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, token, { perMessageDeflate: false });
    let updates = 0;
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error('a cycle took over 10 s'));
    }, 10_000);
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('message', (data) => {
      const type = (JSON.parse(String(data)) as { type: string }).type;
      if (type === 'error') reject(new Error(`refused: ${String(data)}`));
      if (type !== 'service:update') return;
      updates += 1;
      if (updates === 1) socket.send(JSON.stringify({ type: 'subscribe:services' }));
      else socket.close(1000);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      if (updates >= 2) resolve();
      else reject(new Error('closed before its subscription was answered'));
    });
  });
}

async function churn(url: string, tokens: string[], count: number) {
  let started = 0;
  let failed = 0;
  let firstError: string | undefined;
  const durations: number[] = [];
  const slot = async (index: number) => {
    while (started < count) {
      started += 1;
      const t0 = performance.now();
      try {
        await cycle(url, tokens[index] ?? '');
        durations.push(performance.now() - t0);
      } catch (error) {
        failed += 1;
        firstError ??= String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, index) => slot(index)));
  return { failed, firstError, durations };
}

async function slowCase(url: string, tokens: string[], monitor: ReturnType<typeof startMonitor>) {
  const connectOne = (token: string) =>
    new Promise<{ socket: WebSocket; closed: Promise<{ code: number; at: number }> }>(
      (resolve, reject) => {
        const socket = new WebSocket(url, token, { perMessageDeflate: false });
        const closed = new Promise<{ code: number; at: number }>((done) =>
          socket.on('close', (code) => done({ code, at: performance.now() })),
        );
        socket.on('error', () => {});
        socket.once('open', () => {
          socket.send(JSON.stringify({ type: 'subscribe:services' }));
          resolve({ socket, closed });
        });
        socket.once('unexpected-response', () => reject(new Error('refused')));
      },
    );
  const slowOnes = await Promise.all(
    Array.from({ length: slowClients }, (_, i) => connectOne(tokens[Math.floor(i / 20)] ?? '')),
  );
  const reader = await connectOne(tokens[tokens.length - 1] ?? '');
  let readerUpdates = 0;
  let readerBytes = 0;
  reader.socket.on('message', (data) => {
    readerUpdates += 1;
    readerBytes += (data as Buffer).length;
  });
  // Stop reading: the kernel buffers fill, then the server's send buffer grows.
  for (const { socket } of slowOnes) socket.pause();
  const samples: ServerFigures[] = [];
  monitor.send({ type: 'churnStates', ms: slowMs });
  const churned = monitor.next('churned');
  let done = false;
  void churned.then(() => {
    done = true;
  });
  while (!done) {
    samples.push(await monitor.measure());
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const { transitions } = await churned;
  // Two heartbeats after the updates stop, then read again: what was buffered arrives, then the end.
  await new Promise((resolve) => setTimeout(resolve, heartbeatInterval * 2));
  const afterHeartbeats = await monitor.measure();
  for (const { socket } of slowOnes) socket.resume();
  const ends = await Promise.all(
    slowOnes.map(({ closed }) =>
      Promise.race([closed, new Promise<undefined>((resolve) => setTimeout(resolve, 10_000))]),
    ),
  );
  const readerOpen = reader.socket.readyState === WebSocket.OPEN;
  reader.socket.close();
  for (const { socket } of slowOnes) socket.terminate();
  return {
    transitions,
    samples,
    afterHeartbeats,
    terminated: ends.filter((end) => end !== undefined && end.code === 1006).length,
    closedOtherwise: ends.filter((end) => end !== undefined && end.code !== 1006).length,
    readerUpdates,
    readerBytes,
    readerOpen,
  };
}

function startMonitor(settings: MonitorSettings) {
  const child: ChildProcess = fork(
    fileURLToPath(new URL('./ws-load/monitor-process.ts', import.meta.url)),
    [JSON.stringify(settings)],
    {
      execArgv: ['--expose-gc', '--conditions=@breakwater/source', '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const queue: FromMonitor[] = [];
  // Several waits may be pending at once (a measurement while the states churn): wake them all.
  const waiting: Array<() => void> = [];
  const wake = () => {
    for (const resolve of waiting.splice(0)) resolve();
  };
  child.on('message', (message: FromMonitor) => {
    queue.push(message);
    wake();
  });
  child.on('exit', wake);
  const next = async <T extends FromMonitor['type']>(
    type: T,
  ): Promise<Extract<FromMonitor, { type: T }>> => {
    for (;;) {
      const index = queue.findIndex((message) => message.type === type);
      if (index >= 0) return queue.splice(index, 1)[0] as Extract<FromMonitor, { type: T }>;
      if (child.exitCode !== null) throw new Error(`monitor process exited (${child.exitCode})`);
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
  };
  const send = (message: ToMonitor) => child.send(message);
  return {
    next,
    send,
    async measure(): Promise<ServerFigures> {
      send({ type: 'measure' });
      const { type: _, ...figures } = await next('measured');
      return figures;
    },
    async stop(): Promise<void> {
      send({ type: 'stop' });
      await next('stopped').catch(() => undefined);
      child.kill();
    },
  };
}

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got ${raw}`);
  return value;
}

function report(): string {
  const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
  const signed = (bytes: number) => `${bytes >= 0 ? '+' : ''}${mib(bytes)}`;
  const handles = (figures: ServerFigures) =>
    Object.entries(figures.resources)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, count]) => `${kind} ${count}`)
      .join(', ');
  const sorted = [...churnResult.durations].sort((a, b) => a - b);
  const pct = (fraction: number) =>
    (
      sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN
    ).toFixed(1);
  const sockets = (figures: ServerFigures) => figures.resources.TCPSocketWrap ?? 0;
  const peak = (key: 'heapUsed' | 'rss') => Math.max(...slow.samples.map((s) => s[key]));
  const cpu = cpus();
  const row = (label: string, key: 'heapUsed' | 'rss' | 'external') =>
    `| ${label} | ${mib(before[key])} | ${mib(afterWarmup[key])} | ${mib(afterChurn[key])} | ${signed(afterChurn[key] - afterWarmup[key])} |`;
  return [
    '# WebSocket churn and slow clients',
    '',
    `- Date: ${new Date().toISOString()}; Node ${process.version}; CPU: ${cpu[0]?.model.trim() ?? '?'} × ${cpu.length}; ${platform()} ${release()}; load average at the end ${loadavg()
      .map((n) => n.toFixed(1))
      .join(
        ' / ',
      )} (a machine shared with other work: times are noisy, memory and handle counts are not)`,
    "- The monitor (`createMonitor`, default stream settings unless said) runs in **a child process of its own**; the clients (`ws` 8) run in the benchmark's process, so the memory and handles below are the monitor's alone, each taken after three `gc()` passes.",
    '- Command: `npm run bench:churn` (env `CHURN_CYCLES`, `CHURN_CONCURRENCY`, `SLOW_CLIENTS`, `SLOW_MS`).',
    '',
    `## Churn: ${cycles} connect / subscribe / disconnect cycles`,
    '',
    `Each cycle opens a connection (viewer token as the subprotocol), waits for \`connection:status\` and the initial \`service:update\`, sends \`subscribe:services\`, waits for its \`service:update\`, and closes (1000). ${concurrency} cycles run at a time, one token per slot; a warm-up of ${warmupCycles} cycles runs first. Registry of 5 services.`,
    '',
    `- ${cycles - churnResult.failed} of ${cycles} cycles completed (${churnResult.failed} failed${churnResult.firstError ? `, first: ${churnResult.firstError}` : ''}) in ${churnSeconds.toFixed(1)} s (${(cycles / churnSeconds).toFixed(0)} cycles/s); one cycle took ${pct(0.5)} ms at p50, ${pct(0.99)} ms at p99.`,
    '',
    '| monitor memory (MiB) | before any connection | after the warm-up | after the cycles | growth over the cycles |',
    '| --- | ---: | ---: | ---: | ---: |',
    row('heapUsed', 'heapUsed'),
    row('external', 'external'),
    row('rss', 'rss'),
    '',
    '| active handles | |',
    '| --- | --- |',
    `| before any connection | ${handles(before)} |`,
    `| after the warm-up | ${handles(afterWarmup)} |`,
    `| after the cycles | ${handles(afterChurn)} |`,
    '',
    `## Slow clients: ${slowClients} that stop reading`,
    '',
    `${slowClients} clients subscribe to every one of 200 services and stop reading (\`socket.pause()\`); one more keeps reading. For ${(slowMs / 1000).toFixed(0)} s the monitor's process force-opens and releases its breakers 50 at a time in a loop (${slow.transitions} transitions; each burst is one \`service:update\` of 50 services, about 17 kB), with a full update every 5 s. \`maxBufferedBytes\` 1 MiB (default), heartbeat every ${heartbeatInterval / 1000} s (default 30 s; shortened so the run is short).`,
    '',
    `- Open TCP connections of the monitor (\`TCPSocketWrap\` handles): ${sockets(slowBefore)} before, ${Math.max(...slow.samples.map(sockets))} at most while the slow clients were connected, ${sockets(slow.afterHeartbeats)} two heartbeats after the updates stopped (the reading client's only: the slow ones were dropped).`,
    `- Slow clients that, reading again, found their connection terminated by the monitor (no close frame: 1006): ${slow.terminated} of ${slowClients}${slow.closedOtherwise > 0 ? `; closed otherwise: ${slow.closedOtherwise}` : ''}.`,
    `- The reading client received ${slow.readerUpdates} updates (${mib(slow.readerBytes)} MiB) and was ${slow.readerOpen ? 'still connected' : 'disconnected'} at the end.`,
    `- Monitor memory: heapUsed ${mib(slowBefore.heapUsed)} MiB before, at most ${mib(peak('heapUsed'))} MiB while they were connected (${slow.samples.length} samples, every 0.5 s), ${mib(slowAfter.heapUsed)} MiB after (what stays is the monitor's transition history, 200 per service, which the loop filled); rss ${mib(slowBefore.rss)} → at most ${mib(peak('rss'))} → ${mib(slowAfter.rss)} MiB.`,
    `- Active handles after: ${handles(slowAfter)}.`,
    '',
  ].join('\n');
}
