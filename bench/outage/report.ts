import { cpus, platform, release } from 'node:os';
import { percentile } from '../nearest-rank';
import { markdownTable, textTable } from '../table';
import type { SharingChange } from './instance';
import type { Phase, PhaseTally, Results } from './ipc';
import {
  fleetwire,
  fleetwireFailuresEach,
  steadyServices,
  tripwire,
  tripwireFailures,
} from './services';

export interface OutageRun {
  readonly instances: number;
  readonly rate: number;
  readonly steadyS: number;
  readonly downS: number;
  readonly afterS: number;
  /** 1-minute load averages sampled through the run. */
  readonly loads: readonly number[];
  /** Each phase's tally from every instance. */
  readonly phases: Readonly<Record<Phase, readonly PhaseTally[]>>;
  readonly otherErrors: readonly string[];
  readonly killedAt: number;
  readonly restartedAt: number;
  /** Each instance's change to degraded after the kill, and to shared after the restart. */
  readonly degraded: readonly SharingChange[];
  readonly shared: readonly SharingChange[];
  /** States right after the failures made while Redis was down: tripwire on instance 1, fleetwire on each. */
  readonly duringOutage: { readonly tripwire: string; readonly fleetwire: readonly string[] };
  /** Every instance's view at the end. */
  readonly states: readonly Results['state'][];
}

const phaseNames: Record<Phase, string> = {
  before: 'before (Redis up)',
  outage: 'outage (Redis killed)',
  reconnecting: 'restart → every instance shared',
  after: 'after (reconciled)',
};

/** Nearest-rank percentile of an ascending array. */

const ms = (value: number) => (Number.isNaN(value) ? '–' : value.toFixed(2));
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

export function outageReport(run: OutageRun): {
  markdown: string;
  summary: string;
  passed: boolean;
} {
  const phaseRows = (Object.keys(phaseNames) as Phase[]).map((phase) => {
    const tallies = run.phases[phase];
    const latencies = tallies.flatMap((tally) => tally.latencies).sort((a, b) => a - b);
    return [
      phaseNames[phase],
      String(sum(tallies.map((t) => t.calls))),
      String(sum(tallies.map((t) => t.ok))),
      String(sum(tallies.map((t) => t.dependency))),
      String(sum(tallies.map((t) => t.other))),
      ms(percentile(latencies, 0.5)),
      ms(percentile(latencies, 0.99)),
      ms(latencies.at(-1) ?? Number.NaN),
      ms(Math.max(...tallies.map((t) => t.loop.p99))),
      ms(Math.max(...tallies.map((t) => t.loop.max))),
    ];
  });
  const phaseTable = {
    headers: [
      'phase',
      'calls',
      'ok',
      'dependency failed',
      'failed otherwise',
      'p50 ms',
      'p99 ms',
      'max ms',
      'loop delay p99 ms (worst instance)',
      'loop delay max ms',
    ],
    rows: phaseRows,
  };
  const all = Object.values(run.phases).flat();
  const calls = sum(all.map((t) => t.calls));
  const other = sum(all.map((t) => t.other));

  const noticeRows = run.degraded.map((change, index) => [
    `instance ${index + 1}`,
    String(change.at - run.killedAt),
    String((run.shared[index]?.at ?? Number.NaN) - run.restartedAt),
    run.states[index]?.sharing ?? '?',
    String(run.states[index]?.fleetInstances ?? '?'),
    run.states[index]?.states[tripwire] ?? '?',
    run.states[index]?.states[fleetwire] ?? '?',
    steadyServices.map((name) => run.states[index]?.states[name] ?? '?').join(' '),
  ]);
  const noticeTable = {
    headers: [
      'instance',
      'kill → degraded ms',
      'restart → shared ms',
      'sharing at the end',
      'instances it hears',
      tripwire,
      fleetwire,
      `${steadyServices.join(', ')}`,
    ],
    rows: noticeRows,
  };
  const reconciled = run.states.every(
    (state) =>
      state.sharing === 'shared' &&
      state.fleetInstances === run.instances &&
      state.states[tripwire] === 'open' &&
      state.states[fleetwire] === 'open' &&
      steadyServices.every((name) => state.states[name] === 'closed'),
  );
  const alone =
    run.duringOutage.tripwire === 'open' &&
    run.duringOutage.fleetwire.every((state) => state === 'closed');
  const passed = other === 0 && reconciled && alone;
  const degradedMs = run.degraded.map((change) => change.at - run.killedAt);
  const sharedMs = run.shared.map((change) => change.at - run.restartedAt);
  const loads = run.loads;
  const cpu = cpus();

  const verdict = `${passed ? 'PASS' : 'FAIL'}: ${calls} calls, ${other} failed because of Redis; fleet ${reconciled ? 'reconciled' : 'NOT reconciled'}; noticed the outage in ${Math.min(...degradedMs)}–${Math.max(...degradedMs)} ms, shared again ${Math.min(...sharedMs)}–${Math.max(...sharedMs)} ms after the restart`;
  const summary = [textTable(phaseTable), '', textTable(noticeTable), '', verdict].join('\n');
  const markdown = `# Redis: an outage under traffic

- Date: ${new Date().toISOString()}; Node ${process.version}; CPU: ${cpu[0]?.model ?? '?'} × ${cpu.length}; ${platform()} ${release()}
- Reproduce: \`npm run bench:outage\` (env \`OUTAGE_RATE\`, \`OUTAGE_INSTANCES\`, \`OUTAGE_STEADY_S\`, \`OUTAGE_DOWN_S\`, \`OUTAGE_AFTER_S\`).
- Machine load (1-minute average) during the run: ${loads.map((load) => load.toFixed(2)).join(', ')}, on 2 cores shared with other work: latencies include other processes' load.
- Fleet: ${run.instances} processes, each a \`Registry.open({ store: await RedisStore.connect({ url, keyPrefix }), shared: true })\` with \`RedisStore\` defaults (commandTimeout 1 s, flushInterval 200 ms, connectTimeout 2 s), on a private \`redis-server\` without persistence.
- Traffic: ${run.rate} calls/s per instance (${run.rate * run.instances} in all), round-robin over 4 breakers (${steadyServices.join(', ')}: failureThreshold 20), through \`breaker.execute\` to a simulated dependency that answers on the next turn of the event loop and fails 1% of calls with its own error.
- Timeline: ${run.steadyS} s steady; SIGKILL of the redis-server; ${run.downS} s down; restart, empty; traffic until every instance reports \`shared\` again; ${run.afterS} s more.
- While Redis was down: instance 1 alone failed \`${tripwire}\` ${tripwireFailures} times (failureThreshold ${tripwireFailures}); its state there right after: ${run.duringOutage.tripwire}; each instance failed \`${fleetwire}\` ${fleetwireFailuresEach} times (failureThreshold 8 for the fleet's consecutive failures): its state on each right after: ${[...new Set(run.duringOutage.fleetwire)].join('/')} (not enough alone).
- "Failed otherwise": a call that rejected with anything but the dependency's own error (a timeout, a Redis error, a rejection by a breaker that the dependency's 1% never trips) — a call failed because of Redis. Latency: from \`execute\` to the call settling (the dependency's own turn of the event loop included), every call, nearest-rank percentiles; event-loop delay: \`monitorEventLoopDelay\` in each instance, beyond its 10 ms timer.

## Verdict: ${verdict}

## Calls and latency by phase (all instances)

${markdownTable(phaseTable)}

## Each instance: noticing, reconciling, and its view at the end

Times are between the parent's kill or restart and the instance's \`sharingChange\` event (wall clocks of one machine).

${markdownTable(noticeTable)}

Reconciled means: every instance reads \`shared\` and hears all ${run.instances}; \`${tripwire}\`, opened by one instance alone while cut off, is open on every instance (its pending transition was written on reconciliation and announced, and Redis came back empty so the open was re-seeded); \`${fleetwire}\` is open on every instance, tripped by the fleet's counts kept during the outage and sent on reconciliation; the steady breakers are closed everywhere.
${run.otherErrors.length === 0 ? '' : `\nFirst calls that failed otherwise:\n\n${run.otherErrors.map((error) => `- ${error}`).join('\n')}\n`}`;
  return { markdown, summary, passed };
}
