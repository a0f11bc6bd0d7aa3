/**
 * One instance of the outage benchmark's fleet, in its own process (forked
 * by bench/redis-outage.ts with WorkerSettings as JSON in argv[2]): a shared
 * Registry on a RedisStore, paced calls through `breaker.execute` to a
 * simulated dependency, every call's latency and outcome tallied by phase,
 * every sharing change reported to the parent as it happens.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Registry } from '@breakwater/core';
import { RedisStore } from '@breakwater/redis';
import { answerRequests, sendToParent } from '../../tests/shared/support/worker-requests';
import {
  type Command,
  type Phase,
  type PhaseTally,
  phases,
  type Request,
  type Results,
  type WorkerMessage,
  type WorkerSettings,
} from './ipc';
import { fleetwire, services, steadyServices, tripwire } from './services';

/** The simulated dependency's own failure: any other rejection is not the dependency's doing. */
class DependencyError extends Error {}

const settings = JSON.parse(process.argv[2] ?? '{}') as WorkerSettings;
const send = (message: WorkerMessage, then?: () => void) => sendToParent(message, then);

const store = await RedisStore.connect({ url: settings.url, keyPrefix: settings.keyPrefix });
const registry = await Registry.open({ store, shared: true, services });
// Each instance shows the fleet too (the bench checks every instance hears the others
// again after the outage), so each reads the reports from the start, as a monitor does.
registry.fleetInstances();
registry.on('sharingChange', ({ status }) =>
  send({ type: 'sharing', mode: status.mode, at: Date.now(), reason: status.reason }),
);

const loopTimerMs = 10;
const loop = monitorEventLoopDelay({ resolution: loopTimerMs });
loop.enable();
const tallies = Object.fromEntries(phases.map((phase) => [phase, emptyTally()])) as Record<
  Phase,
  PhaseTally
>;
let phase: Phase = 'before';
const otherErrors: string[] = [];
const inFlight = new Set<Promise<unknown>>();
let pacer: NodeJS.Timeout | undefined;

function emptyTally(): PhaseTally {
  return {
    calls: 0,
    ok: 0,
    dependency: 0,
    other: 0,
    latencies: [],
    loop: { p50: 0, p99: 0, max: 0 },
  };
}

/** A dependency that answers on the next turn of the event loop, failing a share of calls. */
function dependency(): Promise<string> {
  return new Promise((resolve, reject) =>
    setImmediate(() =>
      Math.random() < settings.dependencyFailureRate
        ? reject(new DependencyError('the dependency failed'))
        : resolve('ok'),
    ),
  );
}

function call(service: string): void {
  const tally = tallies[phase];
  tally.calls += 1;
  const started = performance.now();
  const settled = registry
    .breaker(service)
    .execute(dependency)
    .then(
      () => {
        tally.ok += 1;
      },
      (error: unknown) => {
        if (error instanceof DependencyError) tally.dependency += 1;
        else {
          tally.other += 1;
          if (otherErrors.length < 5) otherErrors.push(`${service}: ${String(error)}`);
        }
      },
    )
    .finally(() => {
      tally.latencies.push(performance.now() - started);
      inFlight.delete(settled);
    });
  inFlight.add(settled);
}

/** Every 5 ms, the calls due since the start at `rate` a second, round-robin over the steady breakers. */
function startTraffic(): void {
  const started = performance.now();
  let sent = 0;
  pacer = setInterval(() => {
    const due = Math.floor(((performance.now() - started) / 1000) * settings.rate);
    for (; sent < due; sent += 1) call(steadyServices[sent % steadyServices.length] as string);
  }, 5);
}

function closeLoopWindow(): void {
  const ms = (ns: number) => Math.max(0, ns / 1e6 - loopTimerMs);
  tallies[phase].loop = {
    p50: ms(loop.percentile(50)),
    p99: ms(loop.percentile(99)),
    max: ms(loop.max),
  };
  loop.reset();
}

async function failCalls(service: string, count: number): Promise<Results['fail']> {
  const fails = () => Promise.reject(new DependencyError('failed on purpose'));
  for (let i = 0; i < count; i += 1)
    await registry
      .breaker(service)
      .execute(fails)
      .catch(() => {});
  return { state: registry.breaker(service).state };
}

async function run(command: Command): Promise<Results[Command['cmd']]> {
  switch (command.cmd) {
    case 'start':
      loop.reset();
      startTraffic();
      return null;
    case 'phase':
      closeLoopWindow();
      phase = command.phase;
      return null;
    case 'fail':
      return failCalls(command.service, command.count);
    case 'state':
      return {
        sharing: registry.sharingStatus()?.mode,
        states: Object.fromEntries(
          [...steadyServices, tripwire, fleetwire].map((name) => [
            name,
            registry.breaker(name).state,
          ]),
        ),
        fleetInstances: registry.fleetInstances()?.length ?? 0,
      };
    case 'stop':
      clearInterval(pacer);
      await Promise.allSettled([...inFlight]);
      closeLoopWindow();
      return { tallies, otherErrors };
    case 'close':
      await registry.close();
      return null;
  }
}

answerRequests<Request>(run);
send({ type: 'ready', instance: registry.sharingStatus()?.instance ?? 'unknown' });
