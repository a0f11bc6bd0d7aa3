import type {
  BreakerStatus,
  RecoveryExhaustedEvent,
  ServiceStatus,
  SharingStatus,
  StateChangeEvent,
} from '@breakwater/core';
import type { Style } from '../terminal/style';
import { count, nameWidth, realDuration, seconds } from './format';
import { restoredBlock } from './restored-block';
import type { Incident } from './scenario';

/** One service as the header lists it. */
export interface PlanService {
  readonly name: string;
  readonly failureThreshold: number;
  /** Demo ms. */
  readonly resetTimeout: number;
  readonly dependsOn: readonly string[];
}

/** What the header describes. */
export interface DemoPlan {
  /** The configuration file the services come from, as shown. */
  readonly configFile: string;
  /** The store file (or Redis URL), as shown. */
  readonly storeFile: string;
  /** True when the breakers are shared through Redis with other demos. */
  readonly shared: boolean;
  readonly services: readonly PlanService[];
  readonly incidents: readonly Incident[];
  /** Demo ms; `Infinity` runs until Ctrl-C. */
  readonly durationMs: number;
  /** Demo ms after which the incidents come back. */
  readonly storyMs: number;
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

  /** What runs: the time scale, the services, the store and the injected faults. */
  header(): void {
    const { bold, dim } = this.#style;
    const plan = this.#plan;
    const example = plan.services[0];
    const exampleText = example
      ? ` (${example.name}'s ${this.#real(example.resetTimeout)} reset timeout lasts ${seconds(example.resetTimeout)})`
      : '';
    const lines = [
      bold(
        `Breakwater demo · ${plan.services.length} services from ${plan.configFile}, each behind a CircuitBreaker in one Registry`,
      ),
      `Time runs ${plan.timeScale}× faster: 1 s here stands for ${plan.timeScale} s${exampleText}.`,
      `Recovery: the open period grows ×${plan.backoffMultiplier} after each failed trial; ${plan.maxRecoveryAttempts} failed trials raise an alert;`,
      `a circuit closed for ${seconds(plan.minHealthyPeriod)} (${this.#real(plan.minHealthyPeriod)}) counts as healthy and its backoff starts over.`,
      Number.isFinite(plan.durationMs)
        ? `Runs ${seconds(plan.durationMs)} (${this.#real(plan.durationMs)} at real scale); Ctrl-C stops early.`
        : bold('Runs until Ctrl-C.'),
      plan.shared
        ? `Breakers are shared through ${plan.storeFile}: run another demo on it and watch each one's opens reach the other (shared).`
        : `State is kept in ${plan.storeFile}: a second run takes up where this one ends (--fresh starts over).`,
      '',
      dim(`  ${'service'.padEnd(nameWidth)}threshold  ${'reset (real)'.padEnd(15)}depends on`),
      ...plan.services.map((service) => {
        const reset = `${seconds(service.resetTimeout)} (${this.#real(service.resetTimeout)})`;
        const upstream = service.dependsOn.length > 0 ? service.dependsOn.join(', ') : '—';
        return `  ${service.name.padEnd(nameWidth)}${String(service.failureThreshold).padStart(9)}  ${reset.padEnd(15)}${upstream}`;
      }),
      '',
      plan.durationMs > plan.storyMs
        ? `Injected faults: the story repeats every ${seconds(plan.storyMs)} (${this.#real(plan.storyMs)} at real scale)`
        : 'Injected faults:',
      ...plan.incidents.map((incident) => {
        const window = `${(incident.fromMs / 1000).toFixed(1).padStart(4)}–${(incident.toMs / 1000).toFixed(1).padStart(4)}s`;
        // Only a run that ends before the incident plays out needs the hint.
        const hint =
          incident.settlesMs !== undefined && plan.durationMs < incident.settlesMs
            ? ` (try --duration ${incident.settlesMs / 1000})`
            : '';
        return `  ${window}  ${incident.service.padEnd(nameWidth)}${incident.description}${hint}`;
      }),
      '',
    ];
    this.#write(`${lines.join('\n')}\n`);
  }

  /** Lines that must not be missed (where to open the dashboard), between two rules. */
  notice(lines: readonly string[]): void {
    const rule = this.#style.dim('─'.repeat(72));
    this.#write(`${rule}\n${lines.map((line) => this.#style.bold(line)).join('\n')}\n${rule}\n\n`);
  }

  /** What the store gave back, when it held anything. */
  restored(file: string, statuses: readonly BreakerStatus[]): void {
    const source = this.#plan.shared
      ? `Taken up from the fleet on ${file}`
      : `Restored from ${file} (saved by the last run)`;
    this.#write(restoredBlock(source, statuses, this.#style, this.#plan.timeScale));
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

  /** The shared store was lost or is back (shared mode only). */
  sharing(atMs: number, status: SharingStatus): void {
    const { yellow, green } = this.#style;
    const line =
      status.mode === 'degraded'
        ? yellow(
            `sharing degraded, running on local state: ${status.reason ?? 'Redis unreachable'}`,
          )
        : green('sharing restored: back in step with the fleet');
    this.#write(`${this.#stamp(atMs)} ${line}
`);
  }

  /** The store refused a write (disk full, read-only…): its message says which file and what to do. */
  storeError(atMs: number, message: string): void {
    this.#write(`${this.#stamp(atMs)} ${this.#style.red(`store: ${message}`)}\n`);
  }

  recoveryExhausted(atMs: number, event: RecoveryExhaustedEvent): void {
    const { bold, red } = this.#style;
    const next = event.nextResetTimeout;
    const text = `⚠ recovery exhausted: ${event.failedInARow} failed trials in a row; next trial in ${seconds(next)} (${this.#real(next)} real)`;
    this.#write(`${this.#stamp(atMs)} ${event.breaker.padEnd(nameWidth)}${bold(red(text))}\n`);
  }

  /** A compact table of every service, with its health. */
  table(atMs: number, statuses: readonly ServiceStatus[]): void {
    this.#write(`${this.#stamp(atMs)} ${this.#style.bold('status')}\n${this.#rows(statuses)}`);
  }

  /** The final table, call totals and which circuits are still not closed. */
  summary(atMs: number, services: readonly ServiceStatus[], interrupted: boolean): void {
    const { bold, green, red } = this.#style;
    const ended = interrupted ? 'demo interrupted' : 'demo over';
    const statuses = services.map((service) => service.breaker);
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
      this.#rows(services).trimEnd(),
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

  #rows(services: readonly ServiceStatus[]): string {
    const { dim, state } = this.#style;
    const head = dim(
      `  ${'service'.padEnd(nameWidth)}${'state'.padEnd(11)}${'failures'.padStart(8)}${'recoveries'.padStart(12)}${'ok'.padStart(7)}${'failed'.padStart(8)}${'rejected'.padStart(10)}  health`,
    );
    const rows = services.map(({ breaker: status, health, degradedBy }) => {
      // Why a service is degraded though its own circuit is fine: a dependency in trouble.
      const via =
        health === 'degraded' && degradedBy.length > 0 ? ` via ${degradedBy.join(', ')}` : '';
      return `  ${status.name.padEnd(nameWidth)}${state(status.state, status.state.padEnd(11))}${String(status.failureCount).padStart(8)}${String(status.recoveryAttempts).padStart(12)}${String(status.totalSuccesses).padStart(7)}${String(status.totalFailures).padStart(8)}${String(status.rejected).padStart(10)}  ${this.#health(health)}${via === '' ? '' : dim(via)}`;
    });
    return `${[head, ...rows].join('\n')}\n`;
  }

  #health(health: ServiceStatus['health']): string {
    const { green, yellow, red, dim } = this.#style;
    if (health === 'healthy') return green(health);
    if (health === 'degraded') return yellow(health);
    if (health === 'failed') return red(health);
    return dim(health);
  }

  #stamp(atMs: number): string {
    return this.#style.dim(`[${(atMs / 1000).toFixed(1).padStart(4)}s]`);
  }

  /** A demo duration as the real one it stands for. */
  #real(demoMs: number): string {
    return realDuration(demoMs, this.#plan.timeScale);
  }
}
