// `npm run bench`: Breakwater vs bare vs opossum vs cockatiel in one process,
// then shared mode on a private redis-server (skipped with a note when none
// can be started): closed-call cost vs a local registry, Redis commands per
// 1,000 calls, open propagation across 4 processes (BENCH_PROPAGATION_ROUNDS,
// default 50, per way of tripping); last, a seeded simulation of adaptive
// thresholds vs failureThreshold 5 (~2 s, see bench/scenarios/adaptive.ts).
// Quick run (~10 s): BENCH_ROUNDS=15 BENCH_WARMUP=5 BENCH_SCALE=0.3 BENCH_BREAKERS=2000 npm run bench
// Shared mode alone (~15 s): BENCH_ONLY=shared npm run bench — prints it and
// writes bench/results/shared.md (latest.md is left as it is).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { coreFingerprint } from './fingerprint';
import type { Plan } from './measure';
import {
  describeEnvironment,
  type Report,
  renderMarkdown,
  renderSharedMarkdown,
  renderSharedText,
  renderText,
  type Settings,
} from './report';
import { adaptiveThresholds, evaluateAdaptiveTargets } from './scenarios/adaptive';
import { failingCalls } from './scenarios/failing';
import { breakerFootprint } from './scenarios/footprint';
import { concurrentCalls, inFlight, sharedPromiseCalls } from './scenarios/in-flight';
import { openCircuitRejections } from './scenarios/rejection';
import { sequentialCalls } from './scenarios/sequential';
import { measureSharedMode, type SharedModePlan } from './shared/shared-mode';
import { evaluateSharedTargets, evaluateTargets } from './targets';

const output = fileURLToPath(new URL('./results/latest.md', import.meta.url));
const sharedOutput = fileURLToPath(new URL('./results/shared.md', import.meta.url));

const settings: Settings = {
  rounds: setting('BENCH_ROUNDS', 101, 1),
  warmupRounds: setting('BENCH_WARMUP', 10, 0),
  scale: setting('BENCH_SCALE', 1, 0.01),
  breakers: setting('BENCH_BREAKERS', 10_000, 1),
  footprintRounds: setting('BENCH_FOOTPRINT_ROUNDS', 5, 1),
};

/** Operations per sample at scale 1, tuned so the whole run stays well under two minutes. */
const baseOps = { sequential: 50_000, failing: 20_000, rejection: 10_000, inFlight: 20_000 };

const only = process.env.BENCH_ONLY ?? '';
if (only !== '' && only !== 'shared') throw new Error(`BENCH_ONLY=${only}: expected shared`);

function plan(ops: number, multiple = 10): Plan {
  return {
    rounds: settings.rounds,
    warmupRounds: settings.warmupRounds,
    ops: Math.max(multiple, Math.round((ops * settings.scale) / multiple) * multiple),
  };
}

const sharedPlan: SharedModePlan = {
  closedCalls: plan(baseOps.sequential),
  propagationRounds: setting('BENCH_PROPAGATION_ROUNDS', 50, 1),
  propagationWarmup: 5,
};

async function main(): Promise<void> {
  const started = performance.now();
  const coreBefore = coreFingerprint();
  const sequential = await step('1/7 sequential calls', () =>
    sequentialCalls(plan(baseOps.sequential)),
  );
  const failing = await step('2/7 10% failing calls', () => failingCalls(plan(baseOps.failing)));
  const rejection = await step('3/7 open-circuit rejections', () =>
    openCircuitRejections(plan(baseOps.rejection)),
  );
  const concurrent = await step('4/7 calls in flight', () =>
    concurrentCalls(plan(baseOps.inFlight, inFlight)),
  );
  const sharedPromise = await step('4b/7 calls awaiting one shared promise', () =>
    sharedPromiseCalls(plan(baseOps.inFlight, inFlight)),
  );
  const footprint = await step('5/7 idle breakers', () =>
    breakerFootprint(settings.breakers, settings.footprintRounds),
  );
  const shared = await step('6/7 shared mode (private redis-server)', () =>
    measureSharedMode(sharedPlan),
  );
  const adaptive = await step('7/7 adaptive thresholds (seeded simulation)', () =>
    adaptiveThresholds(),
  );
  const report: Report = {
    environment: describeEnvironment({ before: coreBefore, after: coreFingerprint() }),
    settings,
    timed: [sequential, failing, rejection, concurrent, sharedPromise],
    rejection,
    footprint,
    shared,
    adaptive,
    targets: [
      ...evaluateTargets({
        sequential,
        inFlight: concurrent,
        sharedPromise,
        rejection,
        footprint,
      }),
      ...evaluateSharedTargets(shared),
      ...evaluateAdaptiveTargets(adaptive),
    ],
    seconds: (performance.now() - started) / 1000,
  };
  console.log(renderText(report));
  write(output, renderMarkdown(report));
}

/** BENCH_ONLY=shared: the shared-mode section alone, in its own file. */
async function mainShared(): Promise<void> {
  const started = performance.now();
  const coreBefore = coreFingerprint();
  const shared = await step('shared mode (private redis-server)', () =>
    measureSharedMode(sharedPlan),
  );
  const report = {
    environment: describeEnvironment({ before: coreBefore, after: coreFingerprint() }),
    shared,
    targets: evaluateSharedTargets(shared),
    seconds: (performance.now() - started) / 1000,
  };
  console.log(renderSharedText(report));
  write(sharedOutput, renderSharedMarkdown(report));
}

function write(file: string, markdown: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, markdown);
  console.log(`\nWrote ${relative(process.cwd(), file)}`);
}

async function step<T>(name: string, body: () => Promise<T>): Promise<T> {
  const started = performance.now();
  process.stderr.write(`bench: ${name}…`);
  const result = await body();
  process.stderr.write(` ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return result;
}

function setting(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) {
    throw new Error(`${name}=${raw}: expected a number >= ${min}`);
  }
  return value;
}

await (only === 'shared' ? mainShared() : main());
