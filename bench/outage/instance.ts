import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Command, Results, WorkerMessage, WorkerSettings } from './ipc';

/** A sharing change an instance reported: its mode and when (Date.now() there). */
export interface SharingChange {
  readonly mode: 'shared' | 'degraded';
  readonly at: number;
  readonly reason: string | null;
}

/** The parent's handle on one forked instance (bench/outage/worker.ts). */
export interface Instance {
  readonly id: string;
  /** Every sharing change so far, oldest first. */
  readonly changes: readonly SharingChange[];
  request<C extends Command>(command: C): Promise<Results[C['cmd']]>;
  /** Resolves at the first reported change to `mode` at or after `since` (epoch ms). */
  reaches(mode: SharingChange['mode'], since: number): Promise<SharingChange>;
}

const worker = fileURLToPath(new URL('./worker.ts', import.meta.url));

export async function startInstance(settings: WorkerSettings): Promise<Instance> {
  const child = fork(worker, [JSON.stringify(settings)], {
    execArgv: ['--conditions=@breakwater/source', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const changes: SharingChange[] = [];
  const waiting = new Set<() => void>();
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  const id = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`an instance exited (${code}) before it was ready`)),
    );
    child.on('message', (message: WorkerMessage) => {
      switch (message.type) {
        case 'ready':
          resolve(message.instance);
          return;
        case 'sharing':
          changes.push({ mode: message.mode, at: message.at, reason: message.reason });
          for (const wake of waiting) wake();
          return;
        case 'reply':
          pending.get(message.id)?.resolve(message.result);
          pending.delete(message.id);
          return;
        case 'failed':
          pending.get(message.id)?.reject(new Error(message.error));
          pending.delete(message.id);
          return;
      }
    });
  });
  return {
    id,
    changes,
    request<C extends Command>(command: C) {
      const requestId = nextId++;
      return new Promise<Results[C['cmd']]>((resolve, reject) => {
        pending.set(requestId, { resolve: resolve as (value: unknown) => void, reject });
        child.send({ ...command, id: requestId });
      });
    },
    reaches(mode, since) {
      return new Promise((resolve) => {
        const check = () => {
          const change = changes.find((c) => c.mode === mode && c.at >= since);
          if (change === undefined) return;
          waiting.delete(check);
          resolve(change);
        };
        waiting.add(check);
        check();
      });
    },
  };
}
