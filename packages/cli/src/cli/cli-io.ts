import { type Clock, systemClock } from '@breakwater/core';
import { colorSupported } from '../terminal/style';

/** What a command may touch of the outside world; tests pass their own. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether stdout may be coloured (a TTY, NO_COLOR unset). `--no-color` still turns it off. */
  readonly color: boolean;
  /** Whether stdout is a terminal: `watch` redraws in place on one, and prints one view after another otherwise. Default false. */
  readonly tty?: boolean;
  /** Where commands read BREAKWATER_URL and BREAKWATER_TOKEN. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly clock: Clock;
  /** Starts listening for Ctrl-C (SIGINT) and SIGTERM. */
  readonly interrupts: () => Interrupts;
}

/** A subscription to interrupts. */
export interface Interrupts {
  /** Aborts on the first interrupt. */
  readonly signal: AbortSignal;
  /** Stops listening, so that a later Ctrl-C ends the process the usual way. */
  readonly release: () => void;
}

const interruptSignals = ['SIGINT', 'SIGTERM'] as const;

/** The real process: its streams, environment, signals and the system clock. */
export function processIo(): CliIo {
  // Output piped into a reader that quit (`| head`): stop writing, and stop the run like Ctrl-C.
  const pipeClosed = new AbortController();
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    pipeClosed.abort(error);
  });
  return {
    stdout: (text) => {
      if (!pipeClosed.signal.aborted) process.stdout.write(text);
    },
    stderr: (text) => {
      process.stderr.write(text);
    },
    color: colorSupported(process.stdout.isTTY, process.env),
    tty: process.stdout.isTTY === true,
    env: process.env,
    clock: systemClock,
    interrupts: () => {
      const controller = new AbortController();
      const release = (): void => {
        for (const name of interruptSignals) process.off(name, onSignal);
        pipeClosed.signal.removeEventListener('abort', onSignal);
      };
      const onSignal = (): void => {
        release();
        controller.abort();
      };
      for (const name of interruptSignals) process.once(name, onSignal);
      pipeClosed.signal.addEventListener('abort', onSignal, { once: true });
      if (pipeClosed.signal.aborted) onSignal();
      return { signal: controller.signal, release };
    },
  };
}
