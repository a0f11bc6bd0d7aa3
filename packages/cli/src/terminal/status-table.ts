import type { StateName } from '@breakwater/core';
import type { Style } from './style';

/** One service as `status` and `watch` show it. */
export interface StatusRow {
  readonly service: string;
  /** `healthy`, `degraded`, `failed` or `unknown`. */
  readonly health: string;
  /** The breaker state: `closed`, `open`, `half-open`, `forced-open` or `disabled`. */
  readonly state: string;
  /** Failures counted toward the threshold. */
  readonly failures: number;
  /** Ms until a recovery trial is admitted; null unless open. */
  readonly recoveryIn: number | null;
  /** Direct dependencies that are failed or degraded. */
  readonly degradedBy: readonly string[];
}

const states: ReadonlySet<string> = new Set<StateName>([
  'closed',
  'open',
  'half-open',
  'forced-open',
  'disabled',
]);

const healthOrder = ['healthy', 'degraded', 'failed', 'unknown'];

/** States in which the circuit rejects calls: `status` exits non-zero while any service is in one. */
const rejecting: ReadonlySet<string> = new Set(['open', 'forced-open']);

/** The services whose circuit is open or forced open. */
export function openCircuits(rows: readonly StatusRow[]): string[] {
  return rows.filter((row) => rejecting.has(row.state)).map((row) => row.service);
}

/**
 * A table with one line per service: service, health, state, failures,
 * recovery in, and which dependencies degrade it. Columns are padded before
 * they are coloured, so colour never shifts them.
 */
export function statusTable(rows: readonly StatusRow[], style: Style): string[] {
  const header = ['SERVICE', 'HEALTH', 'STATE', 'FAILURES', 'RECOVERY IN'];
  const cells = rows.map((row) => [
    row.service,
    row.health,
    row.state,
    String(row.failures),
    recovery(row),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((line) => line[column]?.length ?? 0)),
  );
  const pad = (text: string, column: number) => text.padEnd(widths[column] ?? 0);
  const lines = [style.dim(header.map(pad).join('  ').trimEnd())];
  rows.forEach((row, index) => {
    const [service = '', health = '', state = '', failures = '', recoveryText = ''] =
      cells[index] ?? [];
    const note = row.degradedBy.length === 0 ? '' : `degraded by ${row.degradedBy.join(', ')}`;
    const line = [
      pad(service, 0),
      healthStyle(style, row.health)(pad(health, 1)),
      states.has(row.state) ? style.state(row.state as StateName, pad(state, 2)) : pad(state, 2),
      failures.padStart(widths[3] ?? 0),
      pad(recoveryText, 4),
      ...(note === '' ? [] : [style.dim(note)]),
    ];
    lines.push(line.join('  ').trimEnd());
  });
  return lines;
}

/** `6 services: 4 healthy, 1 degraded, 1 failed; open: database` */
export function statusSummary(rows: readonly StatusRow[]): string {
  // In the order of severity's opposite, as the monitor's health stats list them.
  const byHealth = new Map<string, number>(healthOrder.map((health) => [health, 0]));
  for (const row of rows) byHealth.set(row.health, (byHealth.get(row.health) ?? 0) + 1);
  for (const [health, count] of byHealth) if (count === 0) byHealth.delete(health);
  const counts = [...byHealth].map(([health, count]) => `${count} ${health}`).join(', ');
  const open = openCircuits(rows);
  const noun = rows.length === 1 ? 'service' : 'services';
  if (rows.length === 0) return 'no services';
  const total = `${rows.length} ${noun}: ${counts}`;
  return open.length === 0 ? `${total}; no circuit open` : `${total}; open: ${open.join(', ')}`;
}

/** What the recovery column says for a state: a countdown while open. */
function recovery(row: StatusRow): string {
  switch (row.state) {
    case 'open':
      return row.recoveryIn === null ? '?' : seconds(row.recoveryIn);
    case 'half-open':
      return 'testing now';
    case 'forced-open':
      return 'when released';
    default:
      return '-';
  }
}

/** Ms as seconds with one decimal below a minute, else minutes and seconds: 12.5s, 2m05s. */
function seconds(ms: number): string {
  const total = Math.max(0, ms) / 1000;
  if (total < 60) return `${total.toFixed(1)}s`;
  const minutes = Math.floor(total / 60);
  return `${minutes}m${String(Math.floor(total % 60)).padStart(2, '0')}s`;
}

function healthStyle(style: Style, health: string): (text: string) => string {
  switch (health) {
    case 'healthy':
      return style.green;
    case 'degraded':
      return style.yellow;
    case 'failed':
      return style.red;
    default:
      return style.dim;
  }
}
