// What the fleet-size bench's parent and its load workers say over IPC.

export type WorkerCommand =
  /** Starts (or restarts the tally of) the paced load. */
  | { readonly cmd: 'load' }
  /** Starts a measurement window: CPU, event-loop delay and call tallies from now. */
  | { readonly cmd: 'begin' }
  /** Ends it and answers with what this process used and did meanwhile. */
  | { readonly cmd: 'end' }
  /** From now on, report the probe breaker's state changes. */
  | { readonly cmd: 'watch' }
  | { readonly cmd: 'manual'; readonly action: 'forceOpen' | 'release' | 'reset' }
  /** `count` failing calls through the probe, one after another: a local trip. */
  | { readonly cmd: 'fail'; readonly count: number }
  | { readonly cmd: 'flush' }
  | { readonly cmd: 'close' };

export interface WorkerWindow {
  readonly seconds: number;
  /** User + system CPU of this process ÷ wall time (1 = one core). */
  readonly cpu: number;
  /** Event-loop delay over the window, ms. */
  readonly loopDelayP50: number;
  readonly loopDelayP99: number;
  readonly loopDelayMax: number;
  readonly calls: number;
  readonly failed: number;
  /** Calls a breaker rejected (open, or half-open without a permit). */
  readonly rejected: number;
  /** The monitor: bytes of each instance's latest report it holds (one a second each); others: none. */
  readonly reportBytes: readonly number[];
  readonly rssBytes: number;
  /** Whether sharing read `shared` at the end. */
  readonly shared: boolean;
  /** Times sharing turned degraded in the window (a Redis command failed or timed out). */
  readonly degraded: number;
  /** The reason of the last of them. */
  readonly degradedReason: string | null;
}

export interface WorkerResults {
  load: null;
  begin: null;
  end: WorkerWindow;
  watch: null;
  manual: null;
  fail: null;
  flush: null;
  close: null;
}

export type WorkerRequest = WorkerCommand & { readonly id: number };

/** The probe changed state in this process, at `at` (`performance.timeOrigin + performance.now()`, ms). */
export interface ProbeChange {
  readonly type: 'probe';
  readonly to: string;
  readonly at: number;
}

export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'reply'; readonly id: number; readonly result: unknown }
  | { readonly type: 'failed'; readonly id: number; readonly error: string }
  | ProbeChange;
