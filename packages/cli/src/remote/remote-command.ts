import type { CliIo } from '../cli/cli-io';
import type { Failure } from './monitor-request';
import { defaultMonitorUrl } from './monitor-target';

/** The options every command that talks to a monitor takes, for `util.parseArgs`. */
export const remoteOptions = {
  url: { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The `--help` lines of {@link remoteOptions}. */
export const remoteOptionsHelp = `  --url URL      the monitor (default: env BREAKWATER_URL, else ${defaultMonitorUrl})
  --token TOKEN  the token sent as Authorization: Bearer (default: env
                 BREAKWATER_TOKEN, which other users cannot see in ps);
                 mint one with 'breakwater token'
  --json         print the monitor's JSON answer instead of text
  -h, --help     show this help`;

/** Where a command reads BREAKWATER_URL and BREAKWATER_TOKEN from. */
export function envOf(io: CliIo): Readonly<Record<string, string | undefined>> {
  return io.env ?? process.env;
}

/** Prints a JSON answer as the monitor sent it (indented). */
export function printJson(io: CliIo, body: unknown): void {
  io.stdout(`${JSON.stringify(body, null, 2)}\n`);
}

/**
 * Prints a failure to stderr (and, with `--json`, the monitor's error body to
 * stdout) and returns its exit code.
 */
export function reportFailure(io: CliIo, failure: Failure, json: boolean): number {
  if (json && failure.body !== undefined) printJson(io, failure.body);
  io.stderr(`breakwater: ${failure.message}\n`);
  return failure.exitCode;
}
