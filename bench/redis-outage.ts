/**
 * A Redis outage under traffic: 4 instances (one process each) share their
 * breakers through a private redis-server and call a simulated dependency at
 * a steady rate through `breaker.execute`. After a steady window the server
 * is killed (SIGKILL); while it is down one instance trips a breaker on its
 * own and every instance fails another a little (not enough alone); after
 * ~5 s the server is started again, empty, and traffic goes on until every
 * instance reports `shared` again, then for a last window. Reports the calls
 * made, the calls that failed for any reason but the dependency's own
 * failure, per-call latency and event-loop delay before / during / after,
 * how long each instance took to notice and to reconcile, and whether the
 * fleet agrees afterwards. Writes bench/results/redis-outage.md.
 *
 *   npm run bench:outage
 *   env: OUTAGE_RATE (calls/s per instance, 500), OUTAGE_INSTANCES (4),
 *        OUTAGE_STEADY_S (10), OUTAGE_DOWN_S (5), OUTAGE_AFTER_S (10)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { startPrivateRedis } from '../tests/support/redis-server';
import { type Instance, startInstance } from './outage/instance';
import type { Phase, PhaseTally } from './outage/ipc';
import { outageReport } from './outage/report';
import { fleetwire, fleetwireFailuresEach, tripwire, tripwireFailures } from './outage/services';

const rate = positive('OUTAGE_RATE', 500);
const instances = positive('OUTAGE_INSTANCES', 4);
const steadyS = positive('OUTAGE_STEADY_S', 10);
const downS = positive('OUTAGE_DOWN_S', 5);
const afterS = positive('OUTAGE_AFTER_S', 10);
/** Longest wait for every instance to report a sharing change. */
const noticeTimeoutMs = 60_000;

const loads: number[] = [];
const noteLoad = () => loads.push(loadavg()[0] ?? 0);
const log = (line: string) =>
  console.log(`[${((performance.now() - t0) / 1000).toFixed(1)} s] ${line}`);
const t0 = performance.now();

const redis = await startPrivateRedis();
const fleet: Instance[] = [];
try {
  for (let i = 0; i < instances; i += 1) {
    fleet.push(
      await startInstance({
        url: redis.url,
        keyPrefix: 'bw-outage-bench:',
        rate,
        dependencyFailureRate: 0.01,
      }),
    );
  }
  log(`${instances} instances on ${redis.url}, ${rate} calls/s each`);
  const all = <T>(each: (instance: Instance) => Promise<T>) => Promise.all(fleet.map(each));

  noteLoad();
  await all((instance) => instance.request({ cmd: 'start' }));
  await sleep(steadyS * 1000);
  noteLoad();

  await all((instance) => instance.request({ cmd: 'phase', phase: 'outage' }));
  const killedAt = Date.now();
  await redis.kill();
  log('redis-server killed (SIGKILL)');
  const degraded = await within(all((instance) => instance.reaches('degraded', killedAt)));
  log(
    `every instance degraded, the last after ${Math.max(...degraded.map((c) => c.at)) - killedAt} ms`,
  );

  // While Redis is down: one instance trips on its own; each adds failures the fleet will sum.
  const tripped = await fleet[0]?.request({
    cmd: 'fail',
    service: tripwire,
    count: tripwireFailures,
  });
  const partial = await all((instance) =>
    instance.request({ cmd: 'fail', service: fleetwire, count: fleetwireFailuresEach }),
  );
  await sleep(Math.max(0, killedAt + downS * 1000 - Date.now()));
  noteLoad();

  await all((instance) => instance.request({ cmd: 'phase', phase: 'reconnecting' }));
  const restartedAt = Date.now();
  await redis.restart();
  log('redis-server restarted, empty');
  const shared = await within(all((instance) => instance.reaches('shared', restartedAt)));
  const reconciledAt = Math.max(...shared.map((change) => change.at));
  log(`every instance shared again, the last ${reconciledAt - restartedAt} ms after the restart`);

  await all((instance) => instance.request({ cmd: 'phase', phase: 'after' }));
  await sleep(afterS * 1000);
  noteLoad();
  const stopped = await all((instance) => instance.request({ cmd: 'stop' }));
  const states = await all((instance) => instance.request({ cmd: 'state' }));

  const byPhase = (phase: Phase): PhaseTally[] => stopped.map((stop) => stop.tallies[phase]);
  const report = outageReport({
    instances,
    rate,
    steadyS,
    downS,
    afterS,
    loads,
    phases: {
      before: byPhase('before'),
      outage: byPhase('outage'),
      reconnecting: byPhase('reconnecting'),
      after: byPhase('after'),
    },
    otherErrors: stopped.flatMap((stop) => stop.otherErrors),
    killedAt,
    restartedAt,
    degraded,
    shared,
    duringOutage: { tripwire: tripped?.state ?? '?', fleetwire: partial.map((p) => p.state) },
    states,
  });
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/redis-outage.md', report.markdown);
  console.log(`\n${report.summary}\nwrote bench/results/redis-outage.md`);
  process.exitCode = report.passed ? 0 : 1;
} finally {
  await Promise.allSettled(fleet.map((instance) => instance.request({ cmd: 'close' })));
  await redis.stop();
}

function within<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    sleep(noticeTimeoutMs, undefined, { ref: false }).then(() => {
      throw new Error(`not every instance reported within ${noticeTimeoutMs / 1000} s`);
    }),
  ]);
}

function positive(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!(value > 0)) throw new Error(`${name} must be a number > 0, got '${text}'`);
  return value;
}
