import type { CliIo } from './cli-io';
import type { Command } from './command';

/** What the command list shows of a command: enough for `breakwater --help`. */
export type CommandLine = Pick<Command, 'name' | 'usage' | 'summary'>;

/**
 * A command whose module is imported only when it runs: the server, the
 * stores and the configuration loader behind it cost ~0.3 s to load, which
 * `breakwater --help` and a mistyped command should not pay.
 */
export function lazyCommand(line: CommandLine, load: () => Promise<Command>): Command {
  return {
    ...line,
    async run(args: readonly string[], io: CliIo): Promise<number> {
      const command = await load();
      return command.run(args, io);
    },
  };
}
