import { FakeClock } from '@breakwater/core/testing';
import type { CliIo } from '../../src/cli/cli-io';

/** A `CliIo` on a `FakeClock` that records output and raises interrupts on demand. */
export function fakeIo(options: { color?: boolean } = {}) {
  const clock = new FakeClock();
  let stdout = '';
  let stderr = '';
  let controller: AbortController | undefined;
  let listening = false;
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    color: options.color ?? false,
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
  };
}
