import { type ChildProcess, spawn } from 'node:child_process';
import { type Exit, repoRoot } from './run-node';

/** `node` arguments that run the `breakwater` sources, as `bin/breakwater.js` does in a checkout. */
export const breakwaterBin = [
  '--conditions=@breakwater/source',
  '--import',
  'tsx',
  'packages/cli/src/bin.ts',
];

/** The environment of a child: the outer one without its Breakwater settings, plus `extra`. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const name of Object.keys(env)) {
    if (name.startsWith('BREAKWATER_') || name === 'TRADING_API_JWT_SECRET') delete env[name];
  }
  return { ...env, ...extra };
}

/** A running `breakwater` process whose output a test can wait for. */
export interface BreakwaterProcess {
  readonly child: ChildProcess;
  stdout(): string;
  /** Resolves once stdout satisfies `test` (rejects if the process exits first). */
  until(test: (stdout: string) => boolean): Promise<string>;
  /** Resolves when the process has exited. */
  readonly exit: Promise<Exit>;
}

/** Starts `breakwater <args>` at the repo root. */
export function startBreakwater(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): BreakwaterProcess {
  const child = spawn(process.execPath, [...breakwaterBin, ...args], { cwd: repoRoot, env });
  let stdout = '';
  let stderr = '';
  const waiting = new Set<() => void>();
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const check of waiting) check();
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exit = new Promise<Exit>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      for (const check of waiting) check();
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    child,
    stdout: () => stdout,
    until(test) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (test(stdout)) {
            waiting.delete(check);
            resolve(stdout);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            waiting.delete(check);
            reject(
              new Error(`breakwater exited before the expected output:\n${stdout}\n${stderr}`),
            );
          }
        };
        waiting.add(check);
        check();
      });
    },
    exit,
  };
}

/** Runs `breakwater <args>` to its end. */
export function runBreakwater(args: readonly string[], env: NodeJS.ProcessEnv): Promise<Exit> {
  return startBreakwater(args, env).exit;
}
