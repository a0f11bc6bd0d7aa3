import { parseArgs } from 'node:util';
import type { Command } from '../cli/command';
import { asUsageError, UsageError } from '../cli/usage-error';
import { defaultDurationMs, runDemo } from '../demo/run-demo';

/** Longest run `--duration` accepts, seconds (one hour of demo time is 20 hours at real scale). */
const maxDurationSeconds = 3_600;

const usage = 'demo [--duration SECONDS] [--no-color]';

const help = `Usage: breakwater ${usage}

Runs six DegenDuel services (seed 000) behind circuit breakers under simulated
traffic and injected outages, 20× faster than real time, printing each state
change, a status table every 5 s and a summary. Ctrl-C stops early.

Options:
  --duration SECONDS  how long to run (default ${defaultDurationMs / 1000})
  --no-color          plain text even on a terminal (NO_COLOR works too)
  -h, --help          show this help
`;

/** `breakwater demo`: the terminal demo. */
export const demoCommand: Command = {
  name: 'demo',
  usage,
  summary: "seed 000's services through injected outages, in the terminal",
  async run(args, io) {
    const values = parseDemoArgs(args);
    if (values.help) {
      io.stdout(help);
      return 0;
    }
    const durationMs =
      values.duration === undefined ? defaultDurationMs : parseSeconds(values.duration) * 1000;
    const interrupts = io.interrupts();
    try {
      await runDemo({
        clock: io.clock,
        durationMs,
        write: io.stdout,
        color: io.color && values['no-color'] !== true,
        signal: interrupts.signal,
      });
      return 0;
    } finally {
      interrupts.release();
    }
  },
};

function parseDemoArgs(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      options: {
        duration: { type: 'string' },
        'no-color': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw asUsageError(error, 'demo');
  }
}

function parseSeconds(text: string): number {
  const seconds = text.trim() === '' ? Number.NaN : Number(text);
  if (!(seconds > 0 && seconds <= maxDurationSeconds)) {
    throw new UsageError(
      `--duration must be a number of seconds > 0 and ≤ ${maxDurationSeconds}, got '${text}'`,
    );
  }
  return seconds;
}
