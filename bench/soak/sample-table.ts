import type { LoadTotals } from './ipc';
import type { SoakSample } from './sampler';
import { totalResources } from './verdict';

/** The columns of a sample, in the terminal (one row as it is taken) and in the report. */
export const sampleHeaders = [
  'min',
  'heapUsed MB',
  'of it code MB',
  'rss MB',
  'external MB',
  'handles',
  'loop p50 ms',
  'loop p99 ms',
  'loop max ms',
  'ws msgs',
  'http reqs',
  'demo lines',
  'load 1m',
] as const;

const widths = sampleHeaders.map((header) => Math.max(header.length, 8));

export function sampleCells(sample: SoakSample, load: LoadTotals, demoLines?: number): string[] {
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(2);
  return [
    (sample.atS / 60).toFixed(1),
    mb(sample.heapUsed),
    mb(sample.codeUsed),
    mb(sample.rss),
    mb(sample.external),
    String(totalResources(sample)),
    sample.loopP50.toFixed(1),
    sample.loopP99.toFixed(1),
    sample.loopMax.toFixed(1),
    String(load.wsMessages),
    String(load.httpOk + load.httpFailed),
    demoLines === undefined ? '' : String(demoLines),
    sample.load1.toFixed(2),
  ];
}

/** Fixed-width rows, printed one per sample while the soak runs. */
export const sampleTable = {
  header: () =>
    sampleHeaders.map((header, column) => header.padStart(widths[column] ?? 0)).join('  '),
};

export function sampleRow(sample: SoakSample, load: LoadTotals, demoLines: number): string {
  return sampleCells(sample, load, demoLines)
    .map((cell, column) => cell.padStart(widths[column] ?? 0))
    .join('  ');
}

/** Handles and requests by type, e.g. `TCPSocketWrap 14, Timeout 9`. */
export function resourceMix(sample: SoakSample): string {
  return Object.entries(sample.resources)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, count]) => `${type} ${count}`)
    .join(', ');
}
