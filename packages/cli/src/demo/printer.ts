import type { BreakerStatus, RecoveryExhaustedEvent, StateChangeEvent } from '@breakwater/core';
import type { Style } from '../terminal/style';
import type { ServiceSpec } from './catalogue';
import type { Incident } from './scenario';

/** What the header describes. */
export interface DemoPlan {
  readonly services: readonly ServiceSpec[];
  readonly incidents: readonly Incident[];
  readonly durationMs: number;
  /** Real ms per demo ms. */
  readonly timeScale: number;
  readonly backoffMultiplier: number;
  readonly maxRecoveryAttempts: number;
  /** Demo ms. */
  readonly minHealthyPeriod: number;
}

/** Where the breaker now stands after it opened. */
export interface OpenPeriod {
  /** Demo ms until the next trial call. */
  readonly nextTrialMs: number;
  /** How many times the first open period this one is (1 = no backoff yet). */
  readonly backoff: number;
  /** True when the backoff has reached `maxResetTimeout`. */
  readonly capped: boolean;
}

const nameWidth = 20;
const transitionWidth = 19;

/** Formats the demo's output: header, one line per event, status tables and the summary. */
export class Printer {
  readonly #write: (text: string) => void;
  readonly #style: Style;
  readonly #plan: DemoPlan;

  constructor(write: (text: string) => void, style: Style, plan: DemoPlan) {
    this.#write = write;
    this.#style = style;
    this.#plan = plan;
  }

  /** What runs: the time scale, the services and the injected faults. */
  header(): void {
    const { bold, dim } = this.#style;
    const plan = this.#plan;
    const example = plan.services[0];
    const exampleText = example
      ? ` (${example.name}'s ${example.resetTimeout / 1000} s reset timeout lasts ${seconds(example.resetTimeout / plan.timeScale)})`
      : '';
    const lines = [
      bold(
        `Breakwater demo · ${plan.services.length} DegenDuel services (seed 000), each behind a CircuitBreaker`,
      ),
      `Time runs ${plan.timeScale}× faster: 1 s here stands for ${plan.timeScale} s${exampleText}.`,
      `Recovery: the open period grows ×${plan.backoffMultiplier} after each failed trial; ${plan.maxRecoveryAttempts} failed trials raise an alert;`,
      `a circuit closed for ${seconds(plan.minHealthyPeriod)} (${this.#real(plan.minHealthyPeriod)}) counts as healthy and its backoff starts over.`,
      `Runs ${seconds(plan.durationMs)} (${this.#real(plan.durationMs)} at real scale); Ctrl-C stops early.`,
      '',
      dim(`  ${'service'.padEnd(nameWidth)}threshold  ${'reset (real)'.padEnd(15)}depends on`),
      ...plan.services.map((service) => {
        const reset = `${seconds(service.resetTimeout / plan.timeScale)} (${this.#real(service.resetTimeout / plan.timeScale)})`;
        const upstream = service.dependsOn.length > 0 ? service.dependsOn.join(', ') : '—';
        return `  ${service.name.padEnd(nameWidth)}${String(service.failureThreshold).padStart(9)}  ${reset.padEnd(15)}${upstream}`;
      }),
      '',
      'Injected faults:',
      ...plan.incidents.map((incident) => {
        const window = `${(incident.fromMs / 1000).toFixed(1).padStart(4)}–${(incident.toMs / 1000).toFixed(1).padStart(4)}s`;
        return `  ${window}  ${incident.service.padEnd(nameWidth)}${incident.description}`;
      }),
      '',
    ];
    this.#write(`${lines.join('\n')}\n`);
  }

  /** One line per state change; an opening also says when the next trial comes. */
  transition(atMs: number, event: StateChangeEvent, open: OpenPeriod | undefined): void {
    const { dim, state } = this.#style;
    const change = `${event.from} → ${event.to}`;
    const coloured = `${state(event.from)} → ${state(event.to)}${' '.repeat(Math.max(1, transitionWidth - change.length))}`;
    let line = `${this.#stamp(atMs)} ${event.breaker.padEnd(nameWidth)}${coloured}(${event.reason})`;
    if (open !== undefined) {
      const cap = open.capped ? ' (capped)' : '';
      const backoff = open.backoff > 1 ? `, backoff ×${Number(open.backoff.toFixed(1))}${cap}` : '';
      line += dim(
        `  next trial in ${seconds(open.nextTrialMs)} (${this.#real(open.nextTrialMs)} real)${backoff}`,
      );
    }
    this.#write(`${line}\n`);
  }

  /** Names the services downstream of one whose breaker just opened. */
  affected(services: readonly string[]): void {
    if (services.length === 0) return;
    const indent = ' '.repeat(8 + nameWidth);
    this.#write(`${indent}${this.#style.yellow(`↳ affects ${services.join(', ')}`)}\n`);
  }

  recoveryExhausted(atMs: number, event: RecoveryExhaustedEvent): void {
    const { bold, red } = this.#style;
    const next = event.nextResetTimeout;
    const text = `⚠ recovery exhausted: ${event.failedRecoveries} failed trials in a row; next trial in ${seconds(next)} (${this.#real(next)} real)`;
    this.#write(`${this.#stamp(atMs)} ${event.breaker.padEnd(nameWidth)}${bold(red(text))}\n`);
  }

  /** A compact table of every breaker. */
  table(atMs: number, statuses: readonly BreakerStatus[]): void {
    this.#write(`${this.#stamp(atMs)} ${this.#style.bold('status')}\n${this.#rows(statuses)}`);
  }

  /** The final table, call totals and which circuits are still not closed. */
  summary(atMs: number, statuses: readonly BreakerStatus[], interrupted: boolean): void {
    const { bold, green, red } = this.#style;
    const ended = interrupted ? 'demo interrupted' : 'demo over';
    const totals = statuses.reduce(
      (sum, status) => ({
        ok: sum.ok + status.totalSuccesses,
        failed: sum.failed + status.totalFailures,
        rejected: sum.rejected + status.rejected,
      }),
      { ok: 0, failed: 0, rejected: 0 },
    );
    const notClosed = statuses.filter((status) => status.state !== 'closed');
    const lines = [
      `${this.#stamp(atMs)} ${bold(`${ended} after ${seconds(atMs)}`)} (${this.#real(atMs)} at real scale)`,
      this.#rows(statuses).trimEnd(),
      `  calls: ${count(totals.ok)} ok, ${count(totals.failed)} failed, ${count(totals.rejected)} rejected fast without reaching the service`,
      notClosed.length === 0
        ? green('  every circuit is closed')
        : red(`  not closed: ${notClosed.map((status) => this.#whyNotClosed(status)).join('; ')}`),
    ];
    this.#write(`${lines.join('\n')}\n`);
  }

  #whyNotClosed(status: BreakerStatus): string {
    const exhausted =
      status.failedRecoveries >= this.#plan.maxRecoveryAttempts
        ? `, recovery exhausted after ${status.failedRecoveries} failed trials`
        : '';
    const next = status.recoveryIn === null ? '' : `, next trial in ${seconds(status.recoveryIn)}`;
    return `${status.name} (${status.state}${exhausted}${next})`;
  }

  #rows(statuses: readonly BreakerStatus[]): string {
    const { dim, state } = this.#style;
    const head = dim(
      `  ${'service'.padEnd(nameWidth)}${'state'.padEnd(11)}${'failures'.padStart(8)}${'recoveries'.padStart(12)}${'ok'.padStart(7)}${'failed'.padStart(8)}${'rejected'.padStart(10)}`,
    );
    const rows = statuses.map(
      (status) =>
        `  ${status.name.padEnd(nameWidth)}${state(status.state, status.state.padEnd(11))}${String(status.failures).padStart(8)}${String(status.recoveryAttempts).padStart(12)}${String(status.totalSuccesses).padStart(7)}${String(status.totalFailures).padStart(8)}${String(status.rejected).padStart(10)}`,
    );
    return `${[head, ...rows].join('\n')}\n`;
  }

  #stamp(atMs: number): string {
    return this.#style.dim(`[${(atMs / 1000).toFixed(1).padStart(4)}s]`);
  }

  /** A demo duration as the real one it stands for. */
  #real(demoMs: number): string {
    const realSeconds = Math.round((demoMs * this.#plan.timeScale) / 1000);
    if (realSeconds < 120) return `${realSeconds} s`;
    const minutes = Math.floor(realSeconds / 60);
    const rest = realSeconds % 60;
    return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
  }
}

/** Demo ms as seconds with up to two decimals: 1500 → "1.5s". */
function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(2))}s`;
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}
