/**
 * One instance of the fleet-size bench, in its own process (forked by
 * load-fleet.ts with the plan as JSON in argv[2] and its role in argv[3]): a
 * shared registry with `plan.breakers` breakers plus the probe, a paced call
 * load over them, and the measurements the parent asks for over IPC. The
 * `monitor` reads the fleet's reports from the start, as a monitor serving
 * `GET /api/fleet` does; the other instances report to it.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { type CircuitBreaker, isCircuitOpenError, Registry } from '@breakwater/core';
import { RedisStore } from '@breakwater/redis';
import { answerRequests, sendToParent } from '../../tests/shared/support/worker-requests';
import {
  breakerName,
  inOutage,
  type LoadPlan,
  loadedBreaker,
  probeBreaker,
  probeService,
} from './load-plan';
import type {
  WorkerCommand,
  WorkerMessage,
  WorkerRequest,
  WorkerResults,
  WorkerWindow,
} from './worker-protocol';

/** The load runs the calls due every few ms, so the flush ticker and pub/sub get their turns. */
const pace = 10;
/** Event-loop delay sampling interval, ms: the histogram's figures include it, so it is taken off. */
const resolution = 5;

const plan = JSON.parse(process.argv[2] ?? '') as LoadPlan;
const services: Record<string, Record<string, number>> = { [probeService]: probeBreaker };
for (let index = 0; index < plan.breakers; index++) services[breakerName(index)] = loadedBreaker;

const store = await RedisStore.connect({
  ...(plan.cluster === undefined ? { url: plan.url } : { cluster: plan.cluster }),
  keyPrefix: plan.keyPrefix,
});
const registry = await Registry.open({ store, shared: true, services });
const loaded: CircuitBreaker[] = [];
for (let index = 0; index < plan.breakers; index++) {
  loaded.push(registry.breaker(breakerName(index)));
}
const probe = registry.breaker(probeService);
const isMonitor = process.argv[3] === 'monitor';
if (isMonitor) registry.fleetInstances();

const send = (message: WorkerMessage, then?: () => void) => sendToParent(message, then);

const succeed = () => Promise.resolve('ok');
const down = new Error('down');
const fail = () => Promise.reject(down);

const tally = { calls: 0, failed: 0, rejected: 0, degraded: 0 };
let degradedReason: string | null = null;
registry.on('sharingChange', ({ status }) => {
  if (status.mode !== 'degraded') return;
  tally.degraded++;
  degradedReason = status.reason;
});
const count = (error: unknown) => {
  if (isCircuitOpenError(error)) tally.rejected++;
  else tally.failed++;
};

/** Fires the calls due since the load started, at `plan.rate` a second. */
function startLoad(): void {
  const started = performance.now();
  let done = 0;
  const timer = setInterval(() => {
    const due = Math.floor((plan.rate * (performance.now() - started)) / 1000);
    const now = Date.now();
    for (; done < due; done++) {
      const index = Math.floor(Math.random() * loaded.length);
      const breaker = loaded[index];
      if (breaker === undefined) continue;
      const failing = inOutage(index, now, plan.outages) || Math.random() < plan.failureRate;
      tally.calls++;
      breaker.execute(failing ? fail : succeed).catch(count);
    }
  }, pace);
  stops.push(() => clearInterval(timer));
}

const stops: Array<() => void> = [];
const loopDelay = monitorEventLoopDelay({ resolution });
let window = { wall: 0, cpu: process.cpuUsage(), calls: 0, failed: 0, rejected: 0, degraded: 0 };

function begin(): void {
  loopDelay.reset();
  loopDelay.enable();
  window = { wall: performance.now(), cpu: process.cpuUsage(), ...tally };
  degradedReason = null;
}

function end(): WorkerWindow {
  loopDelay.disable();
  const seconds = (performance.now() - window.wall) / 1000;
  const cpu = process.cpuUsage(window.cpu);
  const ms = (ns: number) => Math.max(0, ns / 1e6 - resolution);
  return {
    seconds,
    cpu: (cpu.user + cpu.system) / 1e6 / seconds,
    loopDelayP50: ms(loopDelay.percentile(50)),
    loopDelayP99: ms(loopDelay.percentile(99)),
    loopDelayMax: ms(loopDelay.max),
    calls: tally.calls - window.calls,
    failed: tally.failed - window.failed,
    rejected: tally.rejected - window.rejected,
    // Only the monitor reads reports: it measures each one it holds, its own included.
    reportBytes: isMonitor
      ? (registry.fleetInstances() ?? []).map((report) => Buffer.byteLength(JSON.stringify(report)))
      : [],
    rssBytes: process.memoryUsage.rss(),
    shared: registry.sharingStatus()?.mode === 'shared',
    degraded: tally.degraded - window.degraded,
    degradedReason,
  };
}

async function probeFailures(times: number): Promise<void> {
  for (let i = 0; i < times; i++) await probe.execute(fail).catch(() => undefined);
}

async function run(command: WorkerCommand): Promise<WorkerResults[WorkerCommand['cmd']]> {
  switch (command.cmd) {
    case 'load':
      startLoad();
      return null;
    case 'begin':
      begin();
      return null;
    case 'end':
      return end();
    case 'watch':
      registry.on('stateChange', ({ service, to }) => {
        if (service === probeService) {
          send({ type: 'probe', to, at: performance.timeOrigin + performance.now() });
        }
      });
      return null;
    case 'manual':
      await registry[command.action](probeService);
      return null;
    case 'fail':
      await probeFailures(command.count);
      return null;
    case 'flush':
      await registry.flush();
      return null;
    case 'close':
      for (const stop of stops.splice(0)) stop();
      await registry.close();
      return null;
  }
}

answerRequests<WorkerRequest>(run);
// The parent is gone (it crashed, or was stopped): no load may outlive it.
process.on('disconnect', () => process.exit(1));
send({ type: 'ready' });
