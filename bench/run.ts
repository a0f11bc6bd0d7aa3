// `npm run bench`: Breakwater vs bare vs opossum vs cockatiel in one process.
// Quick run (~10 s): BENCH_ROUNDS=15 BENCH_WARMUP=5 BENCH_SCALE=0.3 BENCH_BREAKERS=2000 npm run bench
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { coreFingerprint } from './fingerprint';
import type { Plan } from './measure';
import {
  describeEnvironment,
  type Report,
  renderMarkdown,
  renderText,
  type Settings,
} from './report';
import { failingCalls } from './scenarios/failing';
import { breakerFootprint } from './scenarios/footprint';
import { concurrentCalls, inFlight } from './scenarios/in-flight';
import { openCircuitRejections } from './scenarios/rejection';
import { sequentialCalls } from './scenarios/sequential';
import { evaluateTargets } from './targets';

const output = fileURLToPath(new URL('./results/latest.md', import.meta.url));

const settings: Settings = {
  rounds: setting('BENCH_ROUNDS', 101, 1),
  warmupRounds: setting('BENCH_WARMUP', 10, 0),
  scale: setting('BENCH_SCALE', 1, 0.01),
  breakers: setting('BENCH_BREAKERS', 10_000, 1),
  footprintRounds: setting('BENCH_FOOTPRINT_ROUNDS', 5, 1),
};

/** Operations per sample at scale 1, tuned so the whole run stays well under two minutes. */
const baseOps = { sequential: 50_000, failing: 20_000, rejection: 10_000, inFlight: 20_000 };

async function main(): Promise<void> {
  const started = performance.now();
  const coreBefore = coreFingerprint();
  const plan = (ops: number, multiple = 10): Plan => ({
    rounds: settings.rounds,
    warmupRounds: settings.warmupRounds,
    ops: Math.max(multiple, Math.round((ops * settings.scale) / multiple) * multiple),
  });
  const sequential = await step('1/5 sequential calls', () =>
    sequentialCalls(plan(baseOps.sequential)),
  );
  const failing = await step('2/5 10% failing calls', () => failingCalls(plan(baseOps.failing)));
  const rejection = await step('3/5 open-circuit rejections', () =>
    openCircuitRejections(plan(baseOps.rejection)),
  );
  const concurrent = await step('4/5 calls in flight', () =>
    concurrentCalls(plan(baseOps.inFlight, inFlight)),
  );
  const footprint = await step('5/5 idle breakers', () =>
    breakerFootprint(settings.breakers, settings.footprintRounds),
  );
  const report: Report = {
    environment: describeEnvironment({ before: coreBefore, after: coreFingerprint() }),
    settings,
    timed: [sequential, failing, rejection, concurrent],
    rejection,
    footprint,
    targets: evaluateTargets({ sequential, inFlight: concurrent, rejection, footprint }),
    seconds: (performance.now() - started) / 1000,
  };
  console.log(renderText(report));
  mkdirSync(dirname(output), { recursive: true });
  writeFileSync(output, renderMarkdown(report));
  console.log(`\nWrote ${relative(process.cwd(), output)}`);
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

await main();
