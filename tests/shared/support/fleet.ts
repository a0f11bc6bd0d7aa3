import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type {
  Command,
  Request,
  Results,
  StateChangeReport,
  WorkerMessage,
  WorkerSettings,
} from './fleet-worker';

export type { StateChangeReport, WorkerSettings } from './fleet-worker';

// The parent side of a fleet of shared-mode instances, one child process each
// (fleet-worker.ts). Used by the multi-process tests and by the benchmark.

const workerFile = fileURLToPath(new URL('./fleet-worker.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
/** How long a worker may take to start, answer a command or report an awaited event, ms. */
const patience = 10_000;

interface Pending {
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: Error) => void;
}

/** One instance of the fleet, in its own process. */
export class FleetWorker {
  readonly index: number;
  readonly #child: ChildProcess;
  readonly #exited: Promise<unknown>;
  readonly #pending = new Map<number, Pending>();
  readonly #watchers = new Set<(report: StateChangeReport) => void>();
  #nextId = 1;
  #stderr = '';
  #instance = '';

  private constructor(index: number, child: ChildProcess) {
    this.index = index;
    this.#child = child;
    this.#exited = once(child, 'exit');
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-4_000);
    });
    child.on('message', (message: WorkerMessage) => this.#receive(message));
    // A send racing the worker's death fails here; its reply is rejected on exit.
    child.on('error', () => {});
    child.on('exit', (code, signal) => {
      const error = new Error(`${this.#label} exited (${signal ?? code})${this.#stderrTail()}`);
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
    });
  }

  /** Forks a worker and resolves once its registry is open. */
  static async start(index: number, settings: WorkerSettings): Promise<FleetWorker> {
    const child = fork(workerFile, [JSON.stringify(settings)], {
      cwd: repoRoot,
      execArgv: ['--conditions=@breakwater/source', '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    const worker = new FleetWorker(index, child);
    const ready = new Promise<string>((resolve) => {
      child.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready') resolve(message.instance);
      });
    });
    const failed = worker.#exited.then(() => {
      throw new Error(`${worker.#label} exited before it was ready${worker.#stderrTail()}`);
    });
    worker.#instance = await bounded(Promise.race([ready, failed]), `${worker.#label} to start`);
    return worker;
  }

  /** This instance's id in the fleet (`status().sharing.instance`). */
  get instance(): string {
    return this.#instance;
  }

  get alive(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** Sends one command and resolves with the worker's answer. */
  send<C extends Command>(command: C): Promise<Results[C['cmd']]> {
    if (!this.alive) return Promise.reject(new Error(`${this.#label} is not running`));
    const id = this.#nextId++;
    const reply = new Promise<unknown>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
    });
    this.#child.send({ ...command, id } satisfies Request);
    return bounded(reply, `${this.#label} to answer ${command.cmd}`) as Promise<Results[C['cmd']]>;
  }

  /**
   * The next stateChange reported after this call that `match` accepts. Create
   * it before the action that causes it; the worker must be watching.
   */
  nextStateChange(match: (report: StateChangeReport) => boolean): Promise<StateChangeReport> {
    const seen = new Promise<StateChangeReport>((resolve) => {
      const watcher = (report: StateChangeReport) => {
        if (!match(report)) return;
        this.#watchers.delete(watcher);
        resolve(report);
      };
      this.#watchers.add(watcher);
    });
    return bounded(seen, `${this.#label} to report a state change`);
  }

  /** Kills the worker at once (SIGKILL), as a crash would; resolves once it is gone. */
  async kill(): Promise<void> {
    if (!this.alive) return;
    this.#child.kill('SIGKILL');
    await this.#exited;
  }

  /** Closes the worker's registry and waits for it to exit; kills it if it does not. */
  async close(): Promise<void> {
    if (!this.alive) return;
    try {
      await this.send({ cmd: 'close' });
      await bounded(this.#exited, `${this.#label} to exit`);
    } catch {
      await this.kill();
    }
  }

  get #label(): string {
    return `fleet worker ${this.index}`;
  }

  #receive(message: WorkerMessage): void {
    switch (message.type) {
      case 'ready':
        return;
      case 'reply':
      case 'failed': {
        const pending = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        if (message.type === 'reply') pending?.resolve(message.result);
        else pending?.reject(new Error(`${this.#label}: ${message.error}`));
        return;
      }
      case 'stateChange':
        for (const watcher of [...this.#watchers]) watcher(message);
        return;
    }
  }

  #stderrTail(): string {
    return this.#stderr === '' ? '' : `; stderr:\n${this.#stderr}`;
  }
}

export interface Fleet {
  readonly workers: readonly FleetWorker[];
  /** The worker at `index` (throws when there is none). */
  worker(index: number): FleetWorker;
  /** Closes every worker still alive. */
  close(): Promise<void>;
}

/** Starts `size` workers on the same Redis and key prefix, in parallel. */
export async function startFleet(size: number, settings: WorkerSettings): Promise<Fleet> {
  const started = await Promise.allSettled(
    Array.from({ length: size }, (_, index) => FleetWorker.start(index, settings)),
  );
  const workers = started.flatMap((outcome) =>
    outcome.status === 'fulfilled' ? [outcome.value] : [],
  );
  const close = async () => {
    await Promise.all(workers.map((worker) => worker.close()));
  };
  const failure = started.find((outcome) => outcome.status === 'rejected');
  if (failure !== undefined) {
    await close();
    throw failure.reason;
  }
  const worker = (index: number) => {
    const found = workers[index];
    if (found === undefined) throw new RangeError(`the fleet has no worker ${index}`);
    return found;
  };
  return { workers, worker, close };
}

/** `promise`, or a rejection naming what was awaited once `patience` ms have passed. */
function bounded<T>(promise: Promise<T>, awaited: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`waited ${patience} ms for ${awaited}`)), patience);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
