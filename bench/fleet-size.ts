/**
 * Fleet size: N processes × B shared breakers on one private Redis (or a
 * private 3-master Redis Cluster with `--cluster`) at a paced call rate;
 * measures Redis commands/s, CPU, memory and network over a steady window,
 * each worker's CPU and event-loop delay, then open propagation under load.
 * Writes its section (single Redis or cluster) of bench/results/fleet-size.md.
 *
 *   npm run bench:fleet -- --processes 16 --breakers 1000 --rate 200 --seconds 30 [--cluster]
 */
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { startPrivateCluster } from '../tests/support/redis-cluster';
import { startPrivateRedis } from '../tests/support/redis-server';
import { parseFleetArgs } from './fleet/fleet-args';
import { measurePropagation } from './fleet/fleet-propagation';
import { type FleetRun, renderFleetRun, writeFleetSection } from './fleet/fleet-report';
import { startLoadFleet } from './fleet/load-fleet';
import { breakerName, type LoadPlan } from './fleet/load-plan';
import { cpuTicks, machineLoad } from './fleet/machine-meter';
import { RedisMeter } from './fleet/redis-meter';

const args = parseFleetArgs(process.argv.slice(2));
const loadBefore = loadavg()[0] ?? Number.NaN;
const started = performance.now();

/** A private Redis: the ports to meter, the plan's connection, and how to stop it. */
async function startRedis() {
  if (args.cluster) {
    // No replicas: they would only take CPU from a 2-core machine; the masters do the work.
    const cluster = await startPrivateCluster({ masters: 3, replicas: 0 });
    return {
      ports: cluster.nodes.map((node) => node.port),
      connection: { cluster: cluster.seeds },
      stop: () => cluster.stop(),
    };
  }
  const redis = await startPrivateRedis();
  return { ports: [redis.port], connection: { url: redis.url }, stop: () => redis.stop() };
}

const redis = await startRedis();
// Should this script die without reaching `finally`, the private Redis goes too (the signal is sent at once).
process.on('exit', () => void redis.stop());
const meter = new RedisMeter(redis.ports, args.cluster);
try {
  const empty = await meter.sample();
  const plan: LoadPlan = {
    ...redis.connection,
    keyPrefix: 'fleet:',
    breakers: args.breakers,
    rate: args.rate,
    failureRate: args.failureRate,
    outages: { breakers: 4, period: 20_000, length: 4_000 },
  };
  console.log(`starting ${args.processes} workers × ${args.breakers} breakers…`);
  const workers = await startLoadFleet(args.processes, plan);
  try {
    await Promise.all(workers.map((worker) => worker.send({ cmd: 'load' })));
    console.log(`load on (${args.rate} calls/s each); warm-up ${args.warmup} s…`);
    await sleep(args.warmup * 1000);

    const ticksBefore = await cpuTicks();
    await Promise.all(workers.map((worker) => worker.send({ cmd: 'begin' })));
    const before = await meter.sample();
    await sleep(args.seconds * 1000);
    const after = await meter.sample();
    const windows = await Promise.all(workers.map((worker) => worker.send({ cmd: 'end' })));
    const machine = machineLoad(ticksBefore, await cpuTicks());

    const keyBytes = {
      window: await meter.memoryOf(`${plan.keyPrefix}window:{${breakerName(args.breakers - 1)}}`),
      record: await meter.memoryOf(`${plan.keyPrefix}breaker:{${breakerName(0)}}`),
    };
    const measured = {
      keyBytes,
      args,
      date: new Date().toISOString(),
      loadBefore,
      machine,
      emptyMemory: empty.map((node) => node.usedMemory),
      nodes: meter.between(before, after),
      workers: windows,
    };
    // The window's figures first: propagation on an overloaded machine may take long.
    console.log(renderFleetRun({ ...measured, propagation: [], runSeconds: Number.NaN }));
    console.log(`\npropagation, ${args.rounds} rounds per way of tripping, under load…`);
    const propagation = await measurePropagation(workers, args.rounds);
    const run: FleetRun = {
      ...measured,
      propagation,
      runSeconds: (performance.now() - started) / 1000,
    };
    console.log(renderFleetRun(run));
    if (args.write) {
      const file = await writeFleetSection(run);
      console.log(`written to ${file}`);
    }
  } finally {
    await Promise.all(workers.map((worker) => worker.close()));
  }
} finally {
  meter.close();
  await redis.stop();
}
