import { FakeClock } from '@breakwater/core/testing';
import type { CliIo } from '../../src/cli/cli-io';

/**
 * A `CliIo` on a `FakeClock` that records output and raises interrupts on
 * demand. Its environment is `env` (default empty: the outer process's
 * BREAKWATER_URL or BREAKWATER_TOKEN never reach a test).
 */
export function fakeIo(
  options: {
    color?: boolean;
    tty?: boolean;
    env?: Readonly<Record<string, string | undefined>>;
  } = {},
) {
  const clock = new FakeClock();
  let stdout = '';
  let stderr = '';
  let controller: AbortController | undefined;
  let listening = false;
  const waiting = new Set<() => void>();
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
      for (const check of waiting) check();
    },
    stderr: (text) => {
      stderr += text;
    },
    color: options.color ?? false,
    tty: options.tty ?? false,
    env: options.env ?? {},
    clock,
    interrupts: () => {
      controller = new AbortController();
      listening = true;
      return {
        signal: controller.signal,
        release: () => {
          listening = false;
        },
      };
    },
  };
  return {
    io,
    clock,
    stdout: () => stdout,
    stderr: () => stderr,
    /** As if the user pressed Ctrl-C. */
    interrupt: () => controller?.abort(),
    /** Whether a command is still listening for interrupts. */
    listening: () => listening,
    /** Resolves once stdout (all of it so far) satisfies `test`: waits for output, not for time. */
    stdoutMatches(test: (stdout: string) => boolean): Promise<void> {
      return new Promise((resolve) => {
        const check = () => {
          if (!test(stdout)) return;
          waiting.delete(check);
          resolve();
        };
        waiting.add(check);
        check();
      });
    },
  };
}
