import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { LoadPlan } from './load-plan';
import type {
  ProbeChange,
  WorkerCommand,
  WorkerMessage,
  WorkerRequest,
  WorkerResults,
} from './worker-protocol';

// The parent side of the fleet-size bench: one load worker per process
// (load-worker.ts), commands over IPC, probe state changes to watchers.

const workerFile = fileURLToPath(new URL('./load-worker.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
/** How long a worker may take to start or answer: generous, 16 of them share 2 cores. */
const patience = 60_000;

interface Pending {
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: Error) => void;
}

export class LoadWorker {
  readonly index: number;
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, Pending>();
  readonly #watchers = new Set<(change: ProbeChange) => void>();
  #nextId = 1;
  #stderr = '';

  private constructor(index: number, child: ChildProcess) {
    this.index = index;
    this.#child = child;
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-4_000);
    });
    child.on('message', (message: WorkerMessage) => this.#receive(message));
    child.on('error', () => {});
    child.on('exit', (code, signal) => {
      const error = new Error(`load worker ${index} exited (${signal ?? code}): ${this.#stderr}`);
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
    });
  }

  static async start(index: number, plan: LoadPlan): Promise<LoadWorker> {
    // Worker 0 shows the fleet, as the one `breakwater serve` of a fleet would: the others report to it.
    const role = index === 0 ? 'monitor' : 'instance';
    const child = fork(workerFile, [JSON.stringify(plan), role], {
      cwd: repoRoot,
      execArgv: ['--conditions=@breakwater/source', '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    const worker = new LoadWorker(index, child);
    const ready = new Promise<void>((resolve) => {
      child.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready') resolve();
      });
    });
    const exited = once(child, 'exit').then(() => {
      throw new Error(`load worker ${index} exited before it was ready: ${worker.#stderr}`);
    });
    await bounded(Promise.race([ready, exited]), `load worker ${index} to start`);
    return worker;
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  send<C extends WorkerCommand>(command: C): Promise<WorkerResults[C['cmd']]> {
    const id = this.#nextId++;
    const reply = new Promise<unknown>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
    });
    this.#child.send({ ...command, id } satisfies WorkerRequest);
    return bounded(reply, `load worker ${this.index} to answer ${command.cmd}`) as Promise<
      WorkerResults[C['cmd']]
    >;
  }

  /** The next probe change to `state` after this call; create it before causing the change. */
  nextProbeChange(state: string, within = patience): Promise<ProbeChange> {
    const seen = new Promise<ProbeChange>((resolve) => {
      const watcher = (change: ProbeChange) => {
        if (change.to !== state) return;
        this.#watchers.delete(watcher);
        resolve(change);
      };
      this.#watchers.add(watcher);
    });
    return bounded(seen, `load worker ${this.index} to see the probe ${state}`, within);
  }

  async close(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = once(this.#child, 'exit');
    try {
      await this.send({ cmd: 'close' });
      await bounded(exited, `load worker ${this.index} to exit`);
    } catch {
      this.#child.kill('SIGKILL');
      await exited;
    }
  }

  #receive(message: WorkerMessage): void {
    if (message.type === 'probe') {
      for (const watcher of [...this.#watchers]) watcher(message);
    } else if (message.type === 'reply' || message.type === 'failed') {
      const pending = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      if (message.type === 'reply') pending?.resolve(message.result);
      else pending?.reject(new Error(`load worker ${this.index}: ${message.error}`));
    }
  }
}

/**
 * Starts `size` workers a few at a time (each compiles the sources through
 * tsx: all at once would take minutes on 2 cores) and closes those started
 * if one fails.
 */
export async function startLoadFleet(size: number, plan: LoadPlan): Promise<LoadWorker[]> {
  const workers: LoadWorker[] = [];
  const batch = 4;
  try {
    for (let first = 0; first < size; first += batch) {
      const indexes = Array.from({ length: Math.min(batch, size - first) }, (_, i) => first + i);
      const started = await Promise.allSettled(
        indexes.map((index) => LoadWorker.start(index, plan)),
      );
      for (const outcome of started)
        if (outcome.status === 'fulfilled') workers.push(outcome.value);
      const failure = started.find((outcome) => outcome.status === 'rejected');
      if (failure !== undefined) throw failure.reason;
    }
    return workers;
  } catch (error) {
    await Promise.all(workers.map((worker) => worker.close()));
    throw error;
  }
}

function bounded<T>(promise: Promise<T>, awaited: string, within = patience): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`waited ${within} ms for ${awaited}`)), within);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
