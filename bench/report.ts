import { cpus, release, type } from 'node:os';
import { policies } from './contenders';
import { bytes, count, ns, signedNs, times } from './format';
import { type AdaptiveResult, adaptiveBlocks } from './scenarios/adaptive';
import type { FootprintResult } from './scenarios/footprint';
import type { RejectionResult } from './scenarios/rejection';
import type { TimedResult, TimedRow } from './scenarios/timed-scenario';
import type { SharedMode } from './shared/shared-mode';
import { sharedBlocks } from './shared/shared-report';
import { markdownTable, type Table, textTable } from './table';
import type { Target } from './targets';

export interface Environment {
  readonly date: string;
  readonly node: string;
  readonly cpu: string;
  readonly os: string;
  /** Fingerprint of packages/core/src when the run started and when it ended. */
  readonly core: { readonly before: string; readonly after: string };
}

export interface Settings {
  readonly rounds: number;
  readonly warmupRounds: number;
  readonly scale: number;
  readonly breakers: number;
  readonly footprintRounds: number;
}

export interface Report {
  readonly environment: Environment;
  readonly settings: Settings;
  readonly timed: readonly TimedResult[];
  readonly rejection: RejectionResult;
  readonly footprint: FootprintResult;
  readonly shared: SharedMode;
  readonly adaptive: AdaptiveResult;
  readonly targets: readonly Target[];
  readonly seconds: number;
}

/** A run of the shared-mode section alone (BENCH_ONLY=shared). */
export interface SharedReport {
  readonly environment: Environment;
  readonly shared: SharedMode;
  readonly targets: readonly Target[];
  readonly seconds: number;
}

export function describeEnvironment(core: Environment['core']): Environment {
  const cores = cpus();
  return {
    core,
    date: new Date().toISOString(),
    node: `${process.version} (V8 ${process.versions.v8})`,
    cpu: `${cores[0]?.model.trim() ?? 'unknown'} × ${cores.length}`,
    os: `${type()} ${release()} ${process.arch}`,
  };
}

export type Block =
  | { readonly kind: 'heading'; readonly text: string }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | { readonly kind: 'table'; readonly table: Table };

export function renderText(report: Report): string {
  return blocks(report).map(textBlock).join('\n\n');
}

export function renderMarkdown(report: Report): string {
  return `# Breakwater benchmark\n\n${blocks(report).map(markdownBlock).join('\n\n')}\n`;
}

export function renderSharedText(report: SharedReport): string {
  return sharedReportBlocks(report).map(textBlock).join('\n\n');
}

export function renderSharedMarkdown(report: SharedReport): string {
  const body = sharedReportBlocks(report).map(markdownBlock).join('\n\n');
  return `# Breakwater benchmark: shared mode\n\n${body}\n`;
}

function sharedReportBlocks(report: SharedReport): Block[] {
  const env = report.environment;
  return [
    {
      kind: 'list',
      items: [
        `Date: ${env.date}`,
        `Node: ${env.node}; CPU: ${env.cpu}; OS: ${env.os}`,
        `Run time: ${report.seconds.toFixed(1)} s (BENCH_ONLY=shared: this section alone; \`npm run bench\` writes it into latest.md with the others)`,
      ],
    },
    ...sharedBlocks(report.shared),
    ...(report.targets.length > 0
      ? [
          { kind: 'heading' as const, text: 'Targets (Breakwater, shared mode)' },
          { kind: 'table' as const, table: targetTable(report.targets) },
        ]
      : []),
  ];
}

function textBlock(block: Block): string {
  switch (block.kind) {
    case 'heading':
      return `\n${block.text}\n${'═'.repeat(block.text.length)}`;
    case 'text':
      return block.text;
    case 'list':
      return block.items.map((item) => `  • ${item}`).join('\n');
    case 'table':
      return textTable(block.table);
  }
}

function markdownBlock(block: Block): string {
  switch (block.kind) {
    case 'heading':
      return `## ${block.text}`;
    case 'text':
      return block.text;
    case 'list':
      return block.items.map((item) => `- ${item}`).join('\n');
    case 'table':
      return markdownTable(block.table);
  }
}

function blocks(report: Report): Block[] {
  const { environment: env, settings } = report;
  return [
    {
      kind: 'list',
      items: [
        `Date: ${env.date}`,
        `Node: ${env.node}; CPU: ${env.cpu}; OS: ${env.os}`,
        env.core.before === env.core.after
          ? `Core sources: ${env.core.before}`
          : `Core sources CHANGED during the run: ${env.core.before} at the start, ${env.core.after} at the end; rerun before trusting these figures`,
        `Timed scenarios: ${settings.rounds} interleaved rounds (after ${settings.warmupRounds} warm-up rounds); each round runs every contender once, starting from a different one each round, with a young-generation GC before each sample. Figures are the median over rounds; the spread is the 25th–75th percentile of the per-round figures.`,
        `Run time: ${report.seconds.toFixed(1)} s (BENCH_ROUNDS=${settings.rounds}, BENCH_WARMUP=${settings.warmupRounds}, BENCH_SCALE=${settings.scale}, BENCH_BREAKERS=${settings.breakers}, BENCH_FOOTPRINT_ROUNDS=${settings.footprintRounds})`,
      ],
    },
    { kind: 'heading', text: 'Policies' },
    {
      kind: 'list',
      items: [
        `Breakwater: ${policies.breakwater}`,
        `opossum: ${policies.opossum}`,
        `cockatiel: ${policies.cockatiel}`,
      ],
    },
    ...report.timed.flatMap(timedBlocks),
    { kind: 'text', text: 'Timers and handles on the open path:' },
    { kind: 'table', table: openPathTable(report.rejection) },
    ...footprintBlocks(report.footprint),
    ...sharedBlocks(report.shared),
    ...adaptiveBlocks(report.adaptive),
    { kind: 'heading', text: 'Targets (Breakwater)' },
    { kind: 'table', table: targetTable(report.targets) },
  ];
}

function timedBlocks(result: TimedResult): Block[] {
  return [
    { kind: 'heading', text: result.title },
    {
      kind: 'text',
      text: `${result.description} Sample: ${result.sample}; ${result.plan.rounds} rounds.`,
    },
    { kind: 'table', table: timedTable(result) },
    ...(result.notes.length > 0 ? [{ kind: 'list' as const, items: result.notes }] : []),
  ];
}

function timedTable(result: TimedResult): Table {
  const base = rowById(result, result.baselineId);
  const bw = rowById(result, 'breakwater');
  const baseName = result.baselineId;
  const overhead = (row: TimedRow) => row.summary.median - base.summary.median;
  return {
    headers: [
      'contender',
      'ns/call (median)',
      'spread (p25–p75)',
      `× ${baseName}`,
      `overhead over ${baseName}`,
      'Breakwater ÷ this (time)',
      'Breakwater ÷ this (overhead)',
    ],
    rows: result.rows.map((row) => {
      const { median, p25, p75 } = row.summary;
      const peer = row.peer;
      return [
        row.label,
        ns(median),
        `${p25.toFixed(1)}–${p75.toFixed(1)} (±${((50 * (p75 - p25)) / median).toFixed(1)}%)`,
        times(median / base.summary.median),
        row === base ? '—' : signedNs(overhead(row)),
        peer ? versus(bw.summary.median, median) : '—',
        peer ? times(overhead(bw) / overhead(row)) : '—',
      ];
    }),
  };
}

/** Breakwater's time over a peer's, and how much faster or slower that is. */
function versus(breakwater: number, peer: number): string {
  return breakwater <= peer
    ? `${times(breakwater / peer)} (${times(peer / breakwater)} faster)`
    : `${times(breakwater / peer)} (${times(breakwater / peer)} slower)`;
}

function openPathTable(result: RejectionResult): Table {
  return {
    headers: ['contender', 'rejections', 'timers created', 'still pending', 'new active resources'],
    rows: result.resources.map(({ label, calls, resources }) => [
      label,
      count(calls),
      count(resources.timersCreated),
      count(resources.timersAlive),
      count(resources.activeResources),
    ]),
  };
}

function footprintBlocks(result: FootprintResult): Block[] {
  const bw = result.rows.find((row) => row.label === 'Breakwater');
  return [
    { kind: 'heading', text: `5. ${count(result.breakers)} idle breakers` },
    {
      kind: 'text',
      text: `Memory: growth of \`heapUsed + arrayBuffers\` (typed arrays over 64 bytes keep their contents outside the JS heap) after \`global.gc()\` (twice) before and after creating ${count(result.breakers)} breakers with the policies above, references kept alive, names allocated beforehand; median of ${result.rounds} interleaved rounds. "After 1 call": the same breakers once each has run one successful call (lazily allocated windows and histograms show up here). Timers: \`process.getActiveResourcesInfo()\` growth (which leaves out unref'd timers) and timers created as counted by async_hooks (unref'd ones included). Opossum breakers are \`shutdown()\` afterwards.`,
    },
    {
      kind: 'table',
      table: {
        headers: [
          'library',
          'memory/breaker idle (median)',
          'idle range',
          'memory/breaker after 1 call',
          'active resources/breaker',
          'pending timers/breaker (incl. unref’d)',
          'timers/breaker on 1st call',
          'Breakwater ÷ this (idle memory)',
        ],
        rows: result.rows.map((row) => [
          row.label,
          bytes(row.idleHeap.median),
          `${Math.round(row.idleHeap.min)}–${Math.round(row.idleHeap.max)}`,
          bytes(row.warmHeap.median),
          count(row.activeResources),
          count(row.timers),
          count(row.timersOnFirstCall),
          bw === undefined || row === bw ? '—' : times(bw.idleHeap.median / row.idleHeap.median),
        ]),
      },
    },
  ];
}

function targetTable(targets: readonly Target[]): Table {
  return {
    headers: ['target', 'goal', 'measured', 'result'],
    rows: targets.map((target) => [
      target.name,
      target.goal,
      target.measured,
      target.met ? 'met' : 'NOT met',
    ]),
  };
}

function rowById(result: TimedResult, id: string): TimedRow {
  const row = result.rows.find((candidate) => candidate.id === id);
  if (row === undefined) throw new Error(`${result.title}: no row ${id}`);
  return row;
}
