import type { CliIo } from './cli-io';

/** One `breakwater <name>` command. */
export interface Command {
  readonly name: string;
  /** The usage line, e.g. `demo [--duration SECONDS] [--no-color]`. */
  readonly usage: string;
  /** One line for the command list. */
  readonly summary: string;
  /**
   * Runs with the arguments after the command's name; resolves to the exit
   * code. Throws a `UsageError` for a bad argument.
   */
  readonly run: (args: readonly string[], io: CliIo) => Promise<number>;
}
