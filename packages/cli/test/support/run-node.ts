import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root: child processes run there, as a user's `npx breakwater` would. */
export const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `node <args>` at the repo root until it exits. `onStdout` sees the
 * output so far and the child after every chunk, so a test can react to a
 * line (send a signal, make a request) instead of sleeping.
 */
export function runNode(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  onStdout?: (stdout: string, child: ChildProcess) => void,
): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, env });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      onStdout?.(stdout, child);
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
